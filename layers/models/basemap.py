"""Roads and water bodies: the base map drawn from the platform's own data."""

from django.contrib.gis.db import models

from layers.models.base import Feature
from layers.vocabularies import ROAD_CLASS, WATER_TYPE


class Road(Feature):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    road_class = models.CharField(max_length=12, choices=ROAD_CLASS.choices)
    width_m = models.FloatField(null=True, blank=True)
    geom = models.MultiLineStringField(srid=4326, spatial_index=True)


class WaterBody(Feature):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    water_type = models.CharField(max_length=10, choices=WATER_TYPE.choices)
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

