"""The declaration of every layer Toàn Cảnh publishes: edit this file to add a layer."""

from layers import vocabularies as v
from layers.registry import Deadline, EditorRules, Kpi, Layer, Metric, Priority, Style, Workflow, registry
from layers.search import Search, SearchField
from spatial.roles import ADMINISTRATOR, LAND_OFFICIAL, LEADER, OPERATOR, PLANNER, UNIT_STAFF

WARD = {"ward": "ward_code"}
# the search box finds facilities by name and by code
FACILITY = Search("facility", (SearchField("name"), SearchField("code", match="code")))

registry.register(Layer(
    id="wards",
    demo="democity.layers:wards",
    title_vi="Phường, xã",
    title_en="Wards and communes",
    description_vi="Đơn vị hành chính cấp xã, cả cơ cấu trước và sau ngày 01/7/2025.",
    description_en="Commune-level units, both before and after the 1 July 2025 reform.",
    model="layers.AdminUnit",
    subsystem="basemap",
    geometry_type="MultiPolygon",
    time_field="valid_from",
    time_role="validity",
    filter={"level": "commune"},
    key=("code", "valid_from"),
    lookups={"parent": "parent_code"},
    public_fields=("code", "name", "name_en", "unit_type", "parent", "valid_from", "valid_to",
                   "population", "area_km2"),
    search=Search("ward", (SearchField("name"), SearchField("name_en")), label_en="{name_en}",
                  current="valid_to", in_area=False),
    style=Style("line", "#5B4B8A", always=("name", "code")),
    metrics=(
        Metric("budget_revenue", "Thu ngân sách", "Budget revenue", "triệu đồng", "month",
               unit_en="million VND"),
        Metric("new_businesses", "Doanh nghiệp thành lập mới", "New businesses", "doanh nghiệp", "month",
               unit_en="businesses"),
        Metric("poor_households_pct", "Tỷ lệ hộ nghèo", "Poor households", "%", "month",
               aggregate="avg"),
    ),
))

registry.register(Layer(
    id="parcels",
    cadence="monthly",
    demo="democity.layers:parcels",
    title_vi="Thửa đất",
    title_en="Land parcels",
    description_vi="Bản đồ địa chính: thửa đất theo tờ bản đồ, mục đích sử dụng và diện tích.",
    description_en="Cadastral parcels by map sheet, with land use and area.",
    model="layers.Parcel",
    subsystem="land",
    geometry_type="MultiPolygon",
    key=("ward", "sheet_no", "parcel_no"),
    lookups=WARD,
    public_fields=("ward", "sheet_no", "parcel_no", "land_use", "area_m2", "address", "owner_type",
                   "version", "updated_at"),
    edit_roles=(LAND_OFFICIAL.code, ADMINISTRATOR.code),
    history=True,
    cadastral=True,
    # a reshaping by more than 20 % of the area asks first; the ward follows the shape
    editor=EditorRules(confirm_area_change=0.2, ward_from_shape=True),
    kpis=(Kpi("parcel_area_by_land_use", "Diện tích đất theo mục đích", "Parcel area by land use",
              kind="sum", field="area_m2", by="land_use", unit="ha", scale=0.0001),),
    search=Search("parcel", (SearchField("address", kind="address", fuzzy=False),
                              # owners are personal data: only those who keep the cadastre search them
                              SearchField("owners__full_name", kind="owner",
                                          roles=(LAND_OFFICIAL.code, ADMINISTRATOR.code))),
                  label_vi="Tờ {sheet_no} thửa {parcel_no}", label_en="Sheet {sheet_no} parcel {parcel_no}",
                  sheet_parcel=("sheet_no", "parcel_no")),
    style=Style("fill", "#FFA0FF", by="land_use", vocabulary=v.LAND_USE, min_zoom=14, detail_zoom=16,
                label="{sheet_no}/{parcel_no}"),
))

registry.register(Layer(
    id="zoning",
    cadence="yearly",
    demo="democity.layers:zoning_plans",
    title_vi="Quy hoạch phân khu",
    title_en="Zoning plans",
    description_vi="Các ô quy hoạch đã phê duyệt với chỉ tiêu sử dụng đất.",
    description_en="Approved planning zones with their land-use limits.",
    model="layers.ZoningPlan",
    subsystem="planning",
    geometry_type="MultiPolygon",
    time_field="decision_date",
    time_role="validity",
    key=("decision_no", "zone_code"),
    lookups=WARD,
    public_fields=("plan_name", "decision_no", "decision_date", "zone_code", "function", "max_far",
                   "max_coverage_pct", "max_height_m", "ward", "version", "updated_at"),
    edit_roles=(LAND_OFFICIAL.code, PLANNER.code, ADMINISTRATOR.code),
    history=True,
    editor=EditorRules(confirm_area_change=0.2),
    style=Style("fill", "#F7C6D9", by="function", vocabulary=v.ZONE_FUNCTION),
))

registry.register(Layer(
    id="buildings",
    cadence="yearly",
    demo="democity.buildings:buildings",
    title_vi="Nhà, công trình xây dựng",
    title_en="Buildings",
    description_vi="Mặt bằng nhà, công trình: công năng, số tầng, chiều cao, năm xây dựng, địa chỉ và "
                   "thửa đất có công trình.",
    description_en="Building footprints: use, floors, height, year built, address and the parcel they "
                   "stand on.",
    model="layers.Building",
    subsystem="planning",
    geometry_type="MultiPolygon",
    # left out, the ward is the commune holding the footprint and the parcel the one under it
    # (layers/sql/0017_buildings.sql); a file names a parcel by its ward, sheet and number
    lookups={**WARD, "parcel": {"ward__code": "ward_code", "sheet_no": "sheet_no", "parcel_no": "parcel_no"}},
    public_fields=("code", "name", "building_use", "floors", "height_m", "year_built", "address", "area_m2",
                   "parcel", "ward", "version", "updated_at"),
    labels={"code": ("Mã công trình", "Building code"), "name": ("Tên công trình", "Building name"),
            "building_use": ("Công năng sử dụng", "Building use"), "floors": ("Số tầng", "Floors"),
            "height_m": ("Chiều cao (m)", "Height (m)"), "year_built": ("Năm xây dựng", "Year built"),
            "area_m2": ("Diện tích xây dựng (m²)", "Footprint area (m²)")},
    edit_roles=(LAND_OFFICIAL.code, PLANNER.code, ADMINISTRATOR.code),
    history=True,
    search=Search("building", (SearchField("address", kind="address", fuzzy=False), SearchField("name"),
                               SearchField("code", match="code")),
                  label_vi="{address} ({code})", label_en="{address} ({code})"),
    style=Style("fill", "#B5523B", by="building_use", vocabulary=v.BUILDING_USE, min_zoom=15, detail_zoom=16),
))

registry.register(Layer(
    id="roads",
    cadence="yearly",
    demo="democity.layers:roads",
    title_vi="Đường giao thông",
    title_en="Roads",
    model="layers.Road",
    subsystem="basemap",
    geometry_type="MultiLineString",
    public_fields=("code", "name", "road_class", "width_m"),
    search=Search("street", (SearchField("name"),)),
    style=Style("line", "#FFFFFF", by="road_class", vocabulary=v.ROAD_CLASS, always=("name",)),
))

registry.register(Layer(
    id="water",
    cadence="yearly",
    demo="democity.layers:water",
    title_vi="Sông, hồ",
    title_en="Rivers and lakes",
    model="layers.WaterBody",
    subsystem="basemap",
    geometry_type="MultiPolygon",
    public_fields=("code", "name", "water_type"),
    search=Search("place", (SearchField("name"),)),
    style=Style("fill", "#9CC9F0", by="water_type", vocabulary=v.WATER_TYPE, always=("name",)),
))

registry.register(Layer(
    id="waterways",
    cadence="yearly",
    demo="democity.waterways:waterways",
    title_vi="Sông, suối, kênh, mương",
    title_en="Rivers, streams and canals",
    description_vi="Dòng chảy vẽ dạng đường (tim sông, suối, kênh, mương); mặt nước là lớp Sông, hồ.",
    description_en="Watercourses drawn as lines (river, stream, canal and ditch centrelines); water surfaces "
                   "are the Rivers and lakes layer.",
    model="layers.Waterway",
    subsystem="basemap",
    geometry_type="MultiLineString",
    public_fields=("code", "name", "waterway_kind", "width_m"),
    labels={"waterway_kind": ("Loại dòng chảy", "Kind of watercourse")},
    search=Search("place", (SearchField("name"),)),
    style=Style("line", "#1F78B4", by="waterway_kind", vocabulary=v.WATERWAY_KIND, always=("name",)),
))

registry.register(Layer(
    id="schools",
    cadence="yearly",
    demo="democity.layers:schools",
    title_vi="Trường học",
    title_en="Schools",
    model="layers.School",
    subsystem="education",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "school_level", "students", "teachers", "ward"),
    search=FACILITY,
    style=Style("circle", "#27AE60", by="school_level", vocabulary=v.SCHOOL_LEVEL),
))

registry.register(Layer(
    id="health_facilities",
    cadence="yearly",
    demo="democity.layers:health_facilities",
    title_vi="Cơ sở y tế",
    title_en="Health facilities",
    model="layers.HealthFacility",
    subsystem="health",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "health_type", "beds", "ward"),
    search=FACILITY,
    style=Style("circle", "#EB5757", by="health_type", vocabulary=v.HEALTH_TYPE),
))

registry.register(Layer(
    id="lodging",
    cadence="monthly",
    demo="democity.layers:lodgings",
    title_vi="Cơ sở lưu trú",
    title_en="Lodging",
    model="layers.Lodging",
    subsystem="tourism",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "lodging_type", "rooms", "stars", "ward"),
    search=FACILITY,
    style=Style("circle", "#2F80ED", by="lodging_type", vocabulary=v.LODGING_TYPE),
    metrics=(Metric("guests", "Lượt khách lưu trú", "Guests", "lượt", "day", unit_en="guests"),),
    kpis=(Kpi("lodging_guests", "Lượt khách lưu trú", "Lodging guests", kind="metric", field="guests"),),
))

registry.register(Layer(
    id="service_points",
    cadence="yearly",
    demo="democity.layers:service_points",
    title_vi="Điểm phục vụ hành chính công",
    title_en="Public service points",
    model="layers.ServicePoint",
    subsystem="public_services",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "service_level", "counters", "ward"),
    search=FACILITY,
    style=Style("circle", "#6C5CE7", by="service_level", vocabulary=v.SERVICE_LEVEL),
    metrics=(
        Metric("dossiers_received", "Hồ sơ tiếp nhận", "Dossiers received", "hồ sơ", "day",
               unit_en="dossiers"),
        Metric("dossiers_on_time", "Hồ sơ giải quyết đúng hạn", "Dossiers on time", "hồ sơ", "day",
               unit_en="dossiers"),
    ),
))

registry.register(Layer(
    id="env_stations",
    demo="democity.layers:env_stations",
    title_vi="Trạm quan trắc môi trường",
    title_en="Environment monitoring stations",
    model="layers.EnvStation",
    subsystem="environment",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "station_type", "ward"),
    search=FACILITY,
    style=Style("circle", "#00B894", by="station_type", vocabulary=v.STATION_TYPE),
    metrics=(
        Metric("pm25", "Bụi mịn PM2.5", "PM2.5", "µg/m³", "hour", aggregate="avg"),
        Metric("aqi", "Chỉ số chất lượng không khí", "Air quality index", "VN_AQI", "hour", aggregate="avg"),
    ),
))

registry.register(Layer(
    id="cameras",
    demo="democity.layers:surveillance_cameras",
    title_vi="Camera giám sát",
    title_en="Surveillance cameras",
    model="layers.Camera",
    subsystem="traffic",
    geometry_type="Point",
    lookups=WARD,
    public_fields=("code", "name", "address", "bearing_deg", "fov_deg", "range_m", "status",
                   "installed_on", "ward"),
    restricted_fields=("stream_url",),
    read_roles=(OPERATOR.code, ADMINISTRATOR.code),
    search=Search("camera", (SearchField("name"), SearchField("code", match="code"))),
    style=Style("circle", "#2D3436", by="status", vocabulary=v.CAMERA_STATUS,
                always=("name", "bearing_deg", "fov_deg", "range_m"), renderers=("fov_cones",)),
))

registry.register(Layer(
    id="incidents",
    cadence="daily",
    panel="incident",
    priority=Priority("severity", ("critical", "high"), v.SEVERITY, status="status",
                      settled=("resolved", "closed")),
    demo="democity.layers:security_incidents",
    title_vi="Sự cố an ninh, trật tự",
    title_en="Security incidents",
    model="layers.Incident",
    subsystem="security",
    geometry_type="Point",
    time_field="reported_at",
    lookups={**WARD, "camera": "camera_code"},
    public_fields=("code", "category", "severity", "status", "title", "source", "reported_at",
                   "resolved_at", "ward"),
    restricted_fields=("description", "camera"),
    read_roles=(OPERATOR.code, LEADER.code, ADMINISTRATOR.code),
    edit_roles=(OPERATOR.code, ADMINISTRATOR.code),
    edit_fields=("status",),
    edit_operations=("update",),
    history=True,
    kpis=(Kpi("incidents_by_severity", "Sự cố theo mức độ", "Incidents by severity", by="severity"),),
    search=Search("incident", (SearchField("code", match="code"),), label_vi="{code}: {title}"),
    style=Style("circle", "#D63031", by="severity", vocabulary=v.SEVERITY),
))

registry.register(Layer(
    id="citizen_reports",
    cadence="daily",
    panel="desk",
    demo="democity.layers:citizen_reports",
    title_vi="Phản ánh kiến nghị",
    title_en="Citizen feedback reports",
    model="layers.CitizenReport",
    subsystem="feedback",
    geometry_type="Point",
    time_field="received_at",
    lookups=WARD,
    public_fields=("code", "category", "channel", "status", "title", "unit", "responsible_unit",
                   "received_at", "due_at", "resolved_at", "reopened", "rating", "ward"),
    labels={"unit": ("Đơn vị xử lý", "Handling unit"), "reopened": ("Số lần mở lại", "Times reopened")},
    restricted_fields=("description",),
    read_roles=(OPERATOR.code, UNIT_STAFF.code, LEADER.code, ADMINISTRATOR.code),
    edit_roles=(OPERATOR.code, UNIT_STAFF.code, ADMINISTRATOR.code),
    edit_fields=("status", "unit"),  # a status or unit change runs the transition (assign, resolve…)
    unit_field="unit",  # unit staff see and work their units' reports only (not assign, reassign)
    edit_operations=("update",),
    workflow=Workflow(v.REPORT_TRANSITIONS, reopenable=v.REPORT_REOPENABLE),
    deadline=Deadline(due="due_at", done="resolved_at"),
    kpis=(
        Kpi("reports_overdue", "Phản ánh quá hạn", "Overdue reports", kind="overdue"),
        Kpi("reports_on_time", "Giải quyết đúng hạn", "Resolved on time", kind="on_time", unit="%",
            scale=100),
        Kpi("reports_median_hours", "Thời gian xử lý (trung vị)", "Median handling time", kind="median_hours",
            unit="giờ"),
        Kpi("reports_reopened", "Phản ánh bị mở lại", "Reports reopened", kind="sum", field="reopened"),
        Kpi("reports_rating", "Mức hài lòng của người dân", "Citizens' rating", kind="mean", field="rating",
            unit="/5"),
        Kpi("reports_by_category", "Phản ánh theo lĩnh vực", "Reports by category", by="category"),
    ),
    history=True,
    search=Search("report", (SearchField("code", match="code"),), label_vi="{code}: {title}"),
    style=Style("circle", "#E17055", by="status", vocabulary=v.REPORT_STATUS),
))

registry.register(Layer(
    id="units",
    title_vi="Đơn vị xử lý phản ánh",
    title_en="Units handling citizen reports",
    description_vi="Sở, ban, ngành, UBND phường/xã và doanh nghiệp dịch vụ công: địa bàn phụ trách.",
    description_en="Departments, ward committees and utilities, with the communes each one serves.",
    model="layers.ResponsibleUnit",
    subsystem="feedback",
    geometry_type="MultiPolygon",
    public_fields=("code", "name", "name_en", "unit_kind", "active"),
    labels={"unit_kind": ("Loại đơn vị", "Kind of unit"), "active": ("Đang hoạt động", "Active")},
    edit_roles=(ADMINISTRATOR.code,),
    style=Style("line", "#6C5CE7", by="unit_kind", vocabulary=v.UNIT_KIND, always=("name",)),
))

registry.register(Layer(
    id="detections",
    cadence="hourly",
    demo="democity.layers:camera_detections",
    title_vi="Phát hiện từ camera AI",
    title_en="Camera AI detections",
    model="layers.Detection",
    subsystem="traffic",
    geometry_type="Point",
    time_field="observed_at",
    key=(),
    ticker_group="camera",
    lookups={**WARD, "camera": "camera_code"},
    public_fields=(),
    restricted_fields=("camera", "object_class", "confidence", "observed_at", "track_id",
                       "ground_located", "ward"),
    public=False,
    read_roles=(OPERATOR.code, LEADER.code, ADMINISTRATOR.code),
    kpis=(Kpi("detections_by_class", "Phát hiện theo loại", "Detections by class", by="object_class"),),
    style=Style("circle", "#0984E3", by="object_class", vocabulary=v.OBJECT_CLASS, min_zoom=14,
                max_features=5_000),
))

registry.register(Layer(
    id="detection_density",
    title_vi="Mật độ phát hiện (H3)",
    title_en="Detection density (H3)",
    description_vi="Số lượt phát hiện của camera AI theo giờ, theo ô lục giác H3 (độ phân giải 9), camera, "
                   "phường/xã và loại đối tượng; cập nhật liên tục khi có phát hiện mới.",
    description_en="Camera AI detections per hour, per H3 hexagon (resolution 9), camera, ward and object "
                   "class; updated incrementally as detections arrive.",
    model="layers.DetectionDensity",
    subsystem="traffic",
    geometry_type="Polygon",
    time_field="hour",
    key=(),
    filter={"h3_resolution": 9},
    lookups={**WARD, "camera": "camera_code"},
    public_fields=(),
    restricted_fields=("camera", "ward", "h3_cell", "h3_resolution", "object_class", "hour", "detections",
                       "tracks"),
    public=False,
    read_roles=(OPERATOR.code, LEADER.code, ADMINISTRATOR.code),
    style=Style("fill", "#E17055", by="object_class", vocabulary=v.OBJECT_CLASS, min_zoom=11,
                # the count shades the cell at every zoom
                max_features=5_000, always=("detections",), renderers=("density",)),
))

__all__ = ["registry"]
