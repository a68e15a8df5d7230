"""The epidemic watch's layers: isolation and vaccination sites, and cases per commune per day with
their 7-day incidence (a choropleth by class; counts under 5 shown as "< 5" to anonymous users)."""

from health.vocabularies import INCIDENCE_BAND
from layers.registry import Kpi, Layer, Metric, SmallCounts, Style, registry

SITE_LABELS = {
    "capacity": ("Công suất", "Capacity"),
    "opened_on": ("Ngày mở", "Opened on"),
    "closed_on": ("Ngày đóng", "Closed on"),
}

registry.register(Layer(
    id="isolation_sites",
    title_vi="Khu cách ly",
    title_en="Isolation sites",
    model="health.IsolationSite",
    subsystem="health",
    geometry_type="Point",
    time_field="opened_on",
    time_role="validity",
    lookups={"ward": "ward_code"},
    public_fields=("code", "name", "address", "capacity", "occupancy", "opened_on", "closed_on", "ward"),
    labels={**SITE_LABELS, "capacity": ("Số giường", "Beds"), "occupancy": ("Đang cách ly", "In isolation")},
    style=Style("circle", "#B15928", always=("name",)),
))

registry.register(Layer(
    id="vaccination_sites",
    title_vi="Điểm tiêm chủng",
    title_en="Vaccination sites",
    model="health.VaccinationSite",
    subsystem="health",
    geometry_type="Point",
    time_field="opened_on",
    time_role="validity",
    lookups={"ward": "ward_code"},
    public_fields=("code", "name", "address", "capacity", "doses_given", "opened_on", "closed_on", "ward"),
    labels={**SITE_LABELS, "capacity": ("Liều mỗi ngày", "Doses a day"),
            "doses_given": ("Liều đã tiêm", "Doses given")},
    style=Style("circle", "#1F78B4", always=("name",)),
))

registry.register(Layer(
    id="epidemic_cases",
    title_vi="Ca mắc theo phường/xã",
    title_en="Cases by commune",
    description_vi="Số ca mắc mới mỗi ngày theo phường/xã (số tổng hợp, không có thông tin cá nhân), tổng 7 "
                   "ngày và tỷ lệ mắc 7 ngày trên 100.000 dân; dưới 5 ca hiển thị «< 5» khi chưa đăng nhập.",
    description_en="New cases a day per commune (aggregated counts, never persons), the 7-day sum and the "
                   "7-day incidence per 100,000; counts under 5 are shown as '< 5' unless signed in.",
    model="health.EpidemicDay",
    subsystem="health",
    geometry_type="MultiPolygon",
    time_field="day",
    key=("commune", "disease", "day"),
    public_fields=("commune_name", "disease", "day", "new_cases", "cases_7d", "population", "incidence_7d",
                   "incidence_band", "commune"),
    labels={"commune": ("Phường/xã", "Commune"), "commune_name": ("Tên phường/xã", "Commune name"),
            "disease": ("Bệnh", "Disease"), "day": ("Ngày", "Day"), "new_cases": ("Ca mắc mới", "New cases"),
            "cases_7d": ("Ca mắc 7 ngày", "Cases in 7 days"),
            "incidence_7d": ("Tỷ lệ mắc 7 ngày /100.000 dân", "7-day incidence per 100,000"),
            "incidence_band": ("Mức mắc 7 ngày", "7-day incidence class")},
    small_counts=SmallCounts(fields=("new_cases", "cases_7d"), below=5, rates={"incidence_7d": "cases_7d"}),
    style=Style("fill", "#6A51A3", by="incidence_band", vocabulary=INCIDENCE_BAND, max_features=5_000),
    metrics=(Metric("incidence_7d", "Tỷ lệ mắc 7 ngày", "7-day incidence", "ca/100.000 dân", "day",
                    aggregate="avg", unit_en="cases per 100,000"),),
    kpis=(Kpi("epidemic_new_cases", "Ca mắc mới", "New cases", kind="sum", field="new_cases", unit="ca"),),
))
