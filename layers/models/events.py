"""Events in time: security incidents and citizen feedback reports (phản ánh kiến nghị)."""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.models.base import WardFeature
from layers.vocabularies import (
    INCIDENT_CATEGORY,
    INCIDENT_STATUS,
    REPORT_CATEGORY,
    REPORT_CHANNEL,
    REPORT_STATUS,
    SEVERITY,
)


class Incident(WardFeature):
    code = models.CharField(max_length=32, unique=True)
    category = models.CharField(max_length=20, choices=INCIDENT_CATEGORY.choices)
    severity = models.CharField(max_length=10, choices=SEVERITY.choices)
    status = models.CharField(max_length=12, choices=INCIDENT_STATUS.choices, default="new")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=30, blank=True)
    camera = models.ForeignKey(
        "layers.Camera", null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    geom = models.PointField(srid=4326, spatial_index=True)


class CitizenReport(WardFeature):
    code = models.CharField(max_length=32, unique=True)
    category = models.CharField(max_length=20, choices=REPORT_CATEGORY.choices)
    channel = models.CharField(max_length=12, choices=REPORT_CHANNEL.choices)
    status = models.CharField(max_length=12, choices=REPORT_STATUS.choices, default="received")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    responsible_unit = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    geom = models.PointField(srid=4326, spatial_index=True)


class CitizenReporter(models.Model):
    """Who sent a report: personal data, restricted to authorised roles."""

    report = models.OneToOneField(CitizenReport, on_delete=models.CASCADE, related_name="reporter")
    full_name = models.CharField(vi("full_name"), max_length=200)
    phone = models.CharField(vi("phone"), max_length=20, blank=True)
    email = models.CharField(vi("email"), max_length=200, blank=True)
    id_number = models.CharField(vi("id_number"), max_length=20, blank=True)

    class Meta:
        verbose_name = "Người phản ánh"
