"""Point facilities: schools, health, lodging, one-stop service points, monitoring stations."""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.models.base import NamedPoint
from layers.vocabularies import (
    HEALTH_TYPE,
    LODGING_TYPE,
    SCHOOL_LEVEL,
    SERVICE_LEVEL,
    STATION_TYPE,
)


class School(NamedPoint):
    school_level = models.CharField(vi("school_level"), max_length=10, choices=SCHOOL_LEVEL.choices)
    students = models.PositiveIntegerField(vi("students"), default=0)
    teachers = models.PositiveIntegerField(vi("teachers"), default=0)

    class Meta:
        verbose_name = "Trường học"


class HealthFacility(NamedPoint):
    health_type = models.CharField(vi("health_type"), max_length=14, choices=HEALTH_TYPE.choices)
    beds = models.PositiveIntegerField(vi("beds"), default=0)

    class Meta:
        verbose_name = "Cơ sở y tế"


class Lodging(NamedPoint):
    lodging_type = models.CharField(vi("lodging_type"), max_length=12, choices=LODGING_TYPE.choices)
    rooms = models.PositiveIntegerField(vi("rooms"), default=0)
    stars = models.PositiveSmallIntegerField(vi("stars"), null=True, blank=True)

    class Meta:
        verbose_name = "Cơ sở lưu trú"


class ServicePoint(NamedPoint):
    service_level = models.CharField(vi("service_level"), max_length=10, choices=SERVICE_LEVEL.choices)
    counters = models.PositiveSmallIntegerField(vi("counters"), default=1)

    class Meta:
        verbose_name = "Điểm phục vụ hành chính công"


class EnvStation(NamedPoint):
    station_type = models.CharField(vi("station_type"), max_length=8, choices=STATION_TYPE.choices)

    class Meta:
        verbose_name = "Trạm quan trắc môi trường"
