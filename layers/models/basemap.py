"""Roads and water bodies: the base map drawn from the platform's own data."""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.models.base import Feature
from layers.vocabularies import ROAD_CLASS, WATER_TYPE


class Road(Feature):
    code = models.CharField(vi("code"), max_length=32, unique=True)
    name = models.CharField(vi("name"), max_length=200, blank=True)
    road_class = models.CharField(vi("road_class"), max_length=12, choices=ROAD_CLASS.choices)
    width_m = models.FloatField(vi("width_m"), null=True, blank=True)
    geom = models.MultiLineStringField(vi("geom"), srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Đường giao thông"


class WaterBody(Feature):
    code = models.CharField(vi("code"), max_length=32, unique=True)
    name = models.CharField(vi("name"), max_length=200, blank=True)
    water_type = models.CharField(vi("water_type"), max_length=10, choices=WATER_TYPE.choices)
    geom = models.MultiPolygonField(vi("geom"), srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Mặt nước"
