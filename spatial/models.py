"""Who may act where: the wards assigned to each official."""

from django.conf import settings
from django.db import models


class WardAssignment(models.Model):
    """A user (land official, planner) may edit features inside this commune-level unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wards")
    ward = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "Phân công địa bàn"
        constraints = [models.UniqueConstraint(fields=["user", "ward"], name="ward_assignment_unique")]
