"""The epidemic watch's tables: isolation and vaccination sites (points) and new cases per commune per day.

Cases are aggregated counts per commune and day, never persons. The 7-day sum, the 7-day incidence per
100,000 inhabitants and its band are derived in SQL (health/sql/derive_7d.sql, health.series.derive).
"""

from django.contrib.gis.db import models

from health.vocabularies import DISEASE, INCIDENCE_BAND
from layers.models.base import Feature, NamedPoint


class Site(NamedPoint):
    """A site that opens on a day and may close on a later one."""

    capacity = models.PositiveIntegerField("Công suất / capacity", default=0)
    opened_on = models.DateField("Ngày mở / opened on")
    closed_on = models.DateField("Ngày đóng / closed on", null=True, blank=True)

    class Meta:
        abstract = True


class IsolationSite(Site):
    """A place where infected or exposed people are isolated (beds: `capacity`, in use: `occupancy`)."""

    occupancy = models.PositiveIntegerField("Đang sử dụng / occupancy", default=0)

    class Meta:
        verbose_name = "Khu cách ly"


class VaccinationSite(Site):
    """A vaccination point (doses a day: `capacity`; given so far: `doses_given`)."""

    doses_given = models.PositiveIntegerField("Liều đã tiêm / doses given", default=0)

    class Meta:
        verbose_name = "Điểm tiêm chủng"


class EpidemicDay(Feature):
    """New cases of one disease in one commune on one day, with the commune's shape and the 7-day
    figures derived from the rows before it (health.series.derive); `updated_at` says when its figures
    last changed (the layer's freshness)."""

    commune = models.ForeignKey("layers.AdminUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name="Phường/xã / commune")
    commune_name = models.CharField("Tên phường/xã / commune name", max_length=120)
    disease = models.CharField("Bệnh / disease", max_length=16, choices=DISEASE.choices)
    day = models.DateField("Ngày / day")
    new_cases = models.PositiveIntegerField("Ca mắc mới / new cases", default=0)
    cases_7d = models.PositiveIntegerField("Ca mắc 7 ngày / cases in 7 days", default=0)
    population = models.PositiveIntegerField("Dân số / population", null=True, blank=True)
    incidence_7d = models.FloatField("Tỷ lệ mắc 7 ngày / 7-day incidence", null=True, blank=True)
    incidence_band = models.CharField("Mức mắc 7 ngày / 7-day incidence band", max_length=10,
                                      choices=INCIDENCE_BAND.choices, default="none")
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Ca mắc theo phường/xã"
        constraints = [models.UniqueConstraint(fields=["commune", "disease", "day"],
                                               name="health_epidemic_day_commune_disease_day")]
        indexes = [models.Index(fields=["day"]), models.Index(fields=["disease", "commune", "day"])]

    def __str__(self) -> str:
        return f"{self.commune_name} {self.disease} {self.day}: {self.new_cases}"
