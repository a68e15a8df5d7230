"""Zoning plans (quy hoạch): zones with land-use function and building limits."""

from django.contrib.gis.db import models

from layers.models.base import WardFeature
from layers.vocabularies import ZONE_FUNCTION


class ZoningPlan(WardFeature):
    """One zone (ô quy hoạch) of an approved plan."""

    plan_name = models.CharField(max_length=300)
    decision_no = models.CharField(max_length=60)
    decision_date = models.DateField()
    zone_code = models.CharField(max_length=30)
    function = models.CharField(max_length=20, choices=ZONE_FUNCTION.choices)
    max_far = models.FloatField(null=True, blank=True)
    max_coverage_pct = models.FloatField(null=True, blank=True)
    max_height_m = models.FloatField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision_no", "zone_code"], name="zone_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.zone_code} ({self.decision_no})"
