"""Zoning plans (quy hoạch): zones with land-use function and building limits."""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.models.base import WardFeature
from layers.vocabularies import ZONE_FUNCTION


class ZoningPlan(WardFeature):
    """One zone (ô quy hoạch) of an approved plan."""

    plan_name = models.CharField(vi("plan_name"), max_length=300)
    decision_no = models.CharField(vi("decision_no"), max_length=60)
    decision_date = models.DateField(vi("decision_date"))
    zone_code = models.CharField(vi("zone_code"), max_length=30)
    function = models.CharField(vi("function"), max_length=20, choices=ZONE_FUNCTION.choices)
    max_far = models.FloatField(vi("max_far"), null=True, blank=True)
    max_coverage_pct = models.FloatField(vi("max_coverage_pct"), null=True, blank=True)
    max_height_m = models.FloatField(vi("max_height_m"), null=True, blank=True)
    geom = models.MultiPolygonField(vi("geom"), srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Quy hoạch"
        constraints = [
            models.UniqueConstraint(fields=["decision_no", "zone_code"], name="zone_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.zone_code} ({self.decision_no})"
