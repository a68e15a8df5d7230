"""Who may act where: the wards assigned to each official, the units each unit staff member works for."""

from django.conf import settings
from django.db import models


class WardAssignment(models.Model):
    """A user (land official, planner) may edit features inside this commune-level unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wards")
    ward = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "Phân công địa bàn"
        constraints = [models.UniqueConstraint(fields=["user", "ward"], name="ward_assignment_unique")]


class UnitAssignment(models.Model):
    """A user (unit staff) sees and works the citizen reports of this responsible unit only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("layers.ResponsibleUnit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "Phân công đơn vị xử lý / unit assignment"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unit_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit}"


class ApiToken(models.Model):
    """A personal access token for GIS clients (QGIS, GDAL): only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Khóa truy cập API / API token"

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"
