"""Cameras: position, viewing direction and cone; the stream URL is restricted."""

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator

from layers.models.base import NamedPoint
from layers.vocabularies import CAMERA_STATUS


class Camera(NamedPoint):
    bearing_deg = models.FloatField(
        validators=[MinValueValidator(0), MaxValueValidator(360)]
    )
    fov_deg = models.FloatField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    range_m = models.FloatField(default=80)
    stream_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=CAMERA_STATUS.choices, default="online")
    installed_on = models.DateField(null=True, blank=True)

