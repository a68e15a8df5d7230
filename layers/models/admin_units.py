"""Administrative units: province → (district) → commune/ward, valid over a date range."""

from django.contrib.gis.db import models
from django.db.models import Q

from layers.vocabularies import ADMIN_LEVEL, ADMIN_TYPE


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units in force on `day` (valid_from ≤ day < valid_to)."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def communes(self):
        return self.filter(level="commune")


class AdminUnit(models.Model):
    """One unit of the administrative tree; both the pre-2025 and the 2025 structures fit."""

    code = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=10, choices=ADMIN_LEVEL.choices)
    unit_type = models.CharField(max_length=14, choices=ADMIN_TYPE.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "Đơn vị hành chính"
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="admin_unit_code_valid_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="admin_unit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
