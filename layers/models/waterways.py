"""Line water (sông, suối, kênh, mương): centrelines, beside the water surfaces of layers.WaterBody."""

from django.contrib.gis.db import models

from layers.models.base import Feature
from layers.vocabularies import WATERWAY_KIND


class Waterway(Feature):
    """A river, stream, canal or ditch drawn as a line (a polygon is a WaterBody)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    waterway_kind = models.CharField(max_length=8, choices=WATERWAY_KIND.choices)
    width_m = models.FloatField(null=True, blank=True)
    geom = models.MultiLineStringField(srid=4326, spatial_index=True)

    def __str__(self) -> str:
        return self.name or self.code
