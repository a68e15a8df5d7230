"""The outbox: events, the webhook endpoints that want them, and one delivery per channel and target."""

from __future__ import annotations

import json
import secrets
import uuid
from fnmatch import fnmatchcase

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models

EVENT_TYPE = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"  # feedback.report.assigned
PATTERN = r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$"  # *, feedback.*, feedback.report.assigned
PATTERN_HELP = "ví dụ / e.g. feedback.*, alerts.flood.*, feedback.report.assigned, *"


class Event(models.Model):
    """Something that happened, to be told outside: a dotted type and a JSON payload (no personal data:
    gateways and brokers read it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField("loại / type", max_length=120, db_index=True)
    payload = models.JSONField("dữ liệu / data", encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField("lúc / occurred at", db_index=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = "sự kiện / event"
        verbose_name_plural = "sự kiện / events"

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    def envelope(self) -> dict:
        """The event as webhooks and MQTT carry it: {id, type, occurred_at, data}."""
        return {"id": str(self.id), "type": self.type, "occurred_at": self.occurred_at.isoformat(),
                "data": self.payload}

    def body(self) -> bytes:
        """The envelope as the JSON bytes webhooks sign and MQTT carries (UTF-8, Vietnamese unescaped)."""
        return json.dumps(self.envelope(), cls=DjangoJSONEncoder, ensure_ascii=False,
                          separators=(",", ":")).encode()


class WebhookEndpoint(models.Model):
    """A receiver of signed POSTs, e.g. a province's Zalo or SMS gateway, for the event types it names."""

    name = models.CharField("tên / name", max_length=100, unique=True)
    url = models.URLField("URL", max_length=500)
    secret = models.CharField(
        "khoá bí mật / secret", max_length=200, blank=True,
        help_text="Để trống để tạo tự động; người nhận dùng nó để kiểm chữ ký. / "
                  "Leave blank to generate one; the receiver checks signatures with it.",
    )
    event_types = ArrayField(
        models.CharField(max_length=120, validators=[RegexValidator(PATTERN, PATTERN_HELP)]),
        verbose_name="loại sự kiện / event types",
        help_text="Cách nhau bằng dấu phẩy, ví dụ feedback.*,alerts.* / "
                  "Comma-separated, e.g. feedback.*,alerts.*",
    )
    active = models.BooleanField("đang dùng / active", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "webhook"
        verbose_name_plural = "webhooks"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def wants(self, event_type: str) -> bool:
        """Whether one of the endpoint's patterns matches: "feedback.*" matches "feedback.report.assigned"."""
        return any(fnmatchcase(event_type, pattern) for pattern in self.event_types)


class Delivery(models.Model):
    """One event to one target on one channel, with its attempts."""

    class Channel(models.TextChoices):
        WEBHOOK = "webhook", "webhook"
        MQTT = "mqtt", "MQTT"
        EMAIL = "email", "e-mail"

    class Status(models.TextChoices):
        PENDING = "pending", "đang chờ / pending"
        DELIVERED = "delivered", "đã gửi / delivered"
        FAILED = "failed", "thất bại / failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("kênh / channel", max_length=10, choices=Channel.choices)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="deliveries")
    target = models.CharField("tới / to", max_length=500, help_text="URL, MQTT topic or e-mail address")
    message = models.JSONField("thư / message", null=True, blank=True, help_text="subject, text and HTML")
    status = models.CharField("trạng thái / status", max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveIntegerField("số lần thử / attempts", default=0)
    last_status_code = models.PositiveSmallIntegerField("mã trả về / last status code", null=True, blank=True)
    last_error = models.TextField("lỗi / last error", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField("gửi lúc / delivered at", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = "lần gửi / delivery"
        verbose_name_plural = "lần gửi / deliveries"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target}"
