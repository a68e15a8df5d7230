"""Time-series values attached to features of any layer (one generic table for all subsystems).

Examples: guests per day at a lodging, dossiers received per day at a service point, PM2.5 per
hour at a station, an indicator per ward per month. Metrics are declared in the layer registry.
"""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.vocabularies import PERIOD


class Observation(models.Model):
    layer = models.CharField(vi("layer"), max_length=40)
    feature_id = models.BigIntegerField(vi("feature_id"))
    metric = models.CharField(vi("metric"), max_length=40)
    period = models.CharField(vi("period"), max_length=5, choices=PERIOD.choices)
    observed_at = models.DateTimeField(vi("observed_at"))
    value = models.FloatField(vi("value"))

    class Meta:
        verbose_name = "Số liệu theo thời gian"
        constraints = [
            models.UniqueConstraint(
                fields=["layer", "metric", "feature_id", "period", "observed_at"],
                name="observation_unique_point",
            )
        ]
        indexes = [models.Index(fields=["layer", "metric", "observed_at"])]
