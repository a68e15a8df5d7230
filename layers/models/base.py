"""Abstract bases shared by layer models: versioning, ward membership, named points."""

from django.contrib.gis.db import models
from django.db.models.functions import Now


class Feature(models.Model):
    """A feature with a version (the ETag) and timestamps, both kept by database triggers."""

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


class WardFeature(Feature):
    """A feature that belongs to one commune-level unit (phường/xã)."""

    ward = models.ForeignKey(
        "layers.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class NamedPoint(WardFeature):
    """A point facility with a unique code, a name and an address."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    geom = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
