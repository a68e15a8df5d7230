"""Units that handle citizen reports (sở/ban/ngành, UBND phường/xã, public utilities).

A unit's jurisdiction is the communes it serves and the report categories it handles; its shape is
the union of those communes (kept by `refresh_shape`), so units are a map layer like any other.
"""

from django.contrib.gis.db import models
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.contrib.postgres.fields import ArrayField

from layers.models.base import Feature
from layers.vocabularies import REPORT_CATEGORY, UNIT_KIND


class ResponsibleUnit(Feature):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    unit_kind = models.CharField(max_length=12, choices=UNIT_KIND.choices)
    categories = ArrayField(models.CharField(max_length=20, choices=REPORT_CATEGORY.choices), default=list,
                            blank=True)
    wards = models.ManyToManyField("layers.AdminUnit", blank=True, related_name="responsible_units",
                                   limit_choices_to={"level": "commune"})
    email = models.EmailField(blank=True)
    head_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    geom = models.MultiPolygonField(srid=4326, null=True, blank=True, spatial_index=True)

    def __str__(self) -> str:
        return self.name

    def refresh_shape(self) -> None:
        """The unit's shape becomes the union of its communes (none: no shape)."""
        union = self.wards.aggregate(shape=Union("geom"))["shape"]
        if union is not None and union.geom_type == "Polygon":
            union = MultiPolygon(union, srid=union.srid)
        type(self).objects.filter(pk=self.pk).update(geom=union)
        self.geom = union
