"""Point facilities: schools, health, lodging, one-stop service points, monitoring stations."""

from django.contrib.gis.db import models

from layers.models.base import NamedPoint
from layers.vocabularies import (
    HEALTH_TYPE,
    LODGING_TYPE,
    SCHOOL_LEVEL,
    SERVICE_LEVEL,
    STATION_TYPE,
)


class School(NamedPoint):
    school_level = models.CharField(max_length=10, choices=SCHOOL_LEVEL.choices)
    students = models.PositiveIntegerField(default=0)
    teachers = models.PositiveIntegerField(default=0)


class HealthFacility(NamedPoint):
    health_type = models.CharField(max_length=14, choices=HEALTH_TYPE.choices)
    beds = models.PositiveIntegerField(default=0)


class Lodging(NamedPoint):
    lodging_type = models.CharField(max_length=12, choices=LODGING_TYPE.choices)
    rooms = models.PositiveIntegerField(default=0)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)


class ServicePoint(NamedPoint):
    service_level = models.CharField(max_length=10, choices=SERVICE_LEVEL.choices)
    counters = models.PositiveSmallIntegerField(default=1)


class EnvStation(NamedPoint):
    station_type = models.CharField(max_length=8, choices=STATION_TYPE.choices)

