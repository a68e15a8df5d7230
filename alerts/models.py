"""Alert rules (declared data, versioned), the alerts they raise (a registry layer: `alerts.catalog`) and who
is told of them (subscriptions)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django_fsm import FSMField, transition

from alerts.vocabularies import (
    ACTIVE,
    ALERT_STATUS,
    CAP_CATEGORY,
    CERTAINTY,
    COMPARISONS,
    GROUPING,
    INCIDENT_OF_CAP_CATEGORY,
    INCIDENT_SEVERITY_OF_CAP,
    RULE_KIND,
    SEVERITY,
    URGENCY,
)
from layers.models.base import WardFeature
from layers.vocabularies import INCIDENT_CATEGORY
from spatial.roles import ROLES

# what a saved rule keeps in each version (everything an administrator sets)
RULE_FIELDS = ("code", "name", "name_en", "kind", "layer", "metric", "source_layer", "filters", "comparison",
               "threshold", "readings", "min_count", "grouping", "radius_m", "window_minutes",
               "silence_minutes", "cooldown_minutes", "severity", "urgency", "certainty", "category",
               "public", "instruction", "instruction_en", "active", "h3_resolution", "incident_category",
               "opens_incident")


class AlertRule(models.Model):
    """A condition over a registry layer that raises an alert (alerts.conditions evaluates each kind).

    - threshold: the last `readings` values of `metric` of a feature of `layer` (within `window_minutes`)
      are all `comparison` `threshold` (AQI > 150 for 2 hourly readings at a station);
    - count: at least `min_count` events of `layer` (matching `filters`) within `window_minutes`, within
      `radius_m` of each other or in one ward (≥ 5 traffic accidents within 500 m in 24 h);
    - silence: a feature of `layer` (matching `filters`) with no value of `metric`, or no event of
      `source_layer` naming it, for `silence_minutes` (a station or a camera gone quiet: no data);
    - zone: each event of `layer` matching `filters` within `window_minutes` (camera zone intrusions).
    """

    code = models.SlugField("Mã", max_length=50, unique=True)
    name = models.CharField("Tên cảnh báo", max_length=200)
    name_en = models.CharField("Tên tiếng Anh", max_length=200)
    kind = models.CharField("Loại quy tắc", max_length=10, choices=RULE_KIND.choices)
    layer = models.CharField("Lớp dữ liệu", max_length=40, help_text="mã lớp trong danh mục / registry id")
    metric = models.CharField("Chỉ số", max_length=40, blank=True,
                              help_text="threshold, silence: chỉ số của lớp / a metric of the layer")
    source_layer = models.CharField("Lớp sự kiện", max_length=40, blank=True,
                                    help_text="silence: lớp sự kiện ghi đối tượng (detections → cameras)")
    filters = models.JSONField("Lọc theo trường", default=dict, blank=True,
                               help_text='{"category": "fire"} hoặc / or {"status": ["new", "dispatched"]}')
    comparison = models.CharField("So sánh", max_length=2, default="gt", choices=[
        (code, f"{vi} / {en}") for code, (_op, vi, en) in COMPARISONS.items()])
    threshold = models.FloatField("Ngưỡng", null=True, blank=True)
    readings = models.PositiveSmallIntegerField("Số lần đo liên tiếp", default=1)
    min_count = models.PositiveIntegerField("Số sự kiện tối thiểu", default=1)
    grouping = models.CharField("Gom nhóm", max_length=10, choices=GROUPING.choices, default="radius")
    radius_m = models.FloatField("Bán kính (m)", null=True, blank=True)
    h3_resolution = models.PositiveSmallIntegerField(
        "Độ phân giải H3", null=True, blank=True, help_text="khi gom theo ô H3: 7 (5 km²) … 10 (0,015 km²)")
    window_minutes = models.PositiveIntegerField("Khoảng thời gian (phút)", default=60)
    silence_minutes = models.PositiveIntegerField("Mất dữ liệu sau (phút)", null=True, blank=True)
    cooldown_minutes = models.PositiveIntegerField("Thời gian chờ mở lại (phút)", default=60)
    severity = models.CharField("Mức độ (CAP)", max_length=10, choices=SEVERITY.choices, default="Moderate")
    urgency = models.CharField("Khẩn cấp (CAP)", max_length=10, choices=URGENCY.choices, default="Expected")
    certainty = models.CharField("Chắc chắn (CAP)", max_length=10, choices=CERTAINTY.choices,
                                 default="Observed")
    category = models.CharField("Lĩnh vực (CAP)", max_length=10, choices=CAP_CATEGORY.choices,
                                default="Other")
    public = models.BooleanField("Công khai", default=False,
                                 help_text="CAP scope Public: trong nguồn tin công khai / in the public feed")
    instruction = models.TextField("Hướng dẫn", blank=True)
    instruction_en = models.TextField("Hướng dẫn (tiếng Anh)", blank=True)
    incident_category = models.CharField(
        "Loại sự cố", max_length=30, blank=True, choices=INCIDENT_CATEGORY.choices,
        help_text="sự cố tương ứng (quy trình ứng phó theo loại này) / the incident it calls for")
    opens_incident = models.BooleanField(
        "Tự động mở sự cố", default=False,
        help_text="mỗi cảnh báo mở một sự cố loại trên, theo quy trình của nó / each alert opens an incident")
    active = models.BooleanField("Đang dùng", default=True)
    version = models.PositiveIntegerField("Phiên bản", default=0, editable=False)
    updated_at = models.DateTimeField("Sửa lúc", null=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+", verbose_name="Người sửa")

    class Meta:
        verbose_name = "Quy tắc cảnh báo"
        verbose_name_plural = "Quy tắc cảnh báo"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def clean(self) -> None:
        from alerts.rules import problems

        if found := problems(self):
            raise ValidationError(found)

    def snapshot(self) -> dict[str, Any]:
        """What an administrator set, as a version keeps it."""
        return model_to_dict(self, fields=RULE_FIELDS)

    def save(self, *args: Any, by: Any = None, **kwargs: Any) -> None:
        """Save and keep a version (number, data, who, when) when anything set changed."""
        with transaction.atomic():
            last = self.versions.order_by("-version").first() if self.pk else None
            data = self.snapshot()
            changed = last is None or last.data != data
            if changed:
                self.version = (last.version if last else 0) + 1
                self.updated_at, self.updated_by = timezone.now(), by
            super().save(*args, **kwargs)
            if changed:
                AlertRuleVersion.objects.create(rule=self, version=self.version, data=data,
                                                changed_by=by, changed_at=self.updated_at)


class AlertRuleVersion(models.Model):
    """One saved state of a rule: the alert it raised says which version fired."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("Phiên bản")
    data = models.JSONField("Nội dung")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="Người sửa")
    changed_at = models.DateTimeField("Sửa lúc")

    class Meta:
        verbose_name = "Phiên bản quy tắc"
        verbose_name_plural = "Phiên bản quy tắc"
        ordering = ["rule", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="alert_rule_version_once")]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.version}"


class Alert(WardFeature):
    """An alert raised by a rule about one subject (a feature, a cluster, a ward): at most one open or
    acknowledged per rule and subject; cleared when the condition ends."""

    code = models.CharField(max_length=32, unique=True)
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    rule_version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=RULE_KIND.choices)
    subject = models.CharField(max_length=200)  # what the rule watched: feature:12, ward:4, cluster:881
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    severity = models.CharField(max_length=10, choices=SEVERITY.choices)
    urgency = models.CharField(max_length=10, choices=URGENCY.choices)
    certainty = models.CharField(max_length=10, choices=CERTAINTY.choices)
    category = models.CharField(max_length=10, choices=CAP_CATEGORY.choices)
    status = FSMField(max_length=12, choices=ALERT_STATUS.choices, default="open")
    opened_at = models.DateTimeField(db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    ack_minutes = models.FloatField(null=True, blank=True)  # opened → acknowledged (the KPI's mean)
    cleared_at = models.DateTimeField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)  # the reading, the count, the minutes of silence
    source_layer = models.CharField(max_length=40)
    source_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    radius_m = models.FloatField(null=True, blank=True)  # the CAP circle around geom
    area = models.MultiPolygonField(srid=4326, null=True, blank=True)  # the CAP polygon (a ward)
    geom = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject"], condition=Q(status__in=ACTIVE),
                                    name="one_active_alert_per_rule_subject"),
        ]
        indexes = [models.Index(fields=["rule", "cleared_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @transition(field=status, source="open", target="acknowledged")
    def acknowledge(self, user: Any, at: Any) -> None:
        self.acknowledged_by, self.acknowledged_at = user, at
        self.ack_minutes = round((at - self.opened_at).total_seconds() / 60, 2)

    @transition(field=status, source=list(ACTIVE), target="cleared")
    def clear(self, at: Any) -> None:
        self.cleared_at = at

    def incident_offer(self) -> dict[str, str | None]:
        """The incident this alert calls for: its rule's category (else the one its CAP category suggests,
        or None) and the incident severity of its CAP severity."""
        return {"category": self.rule.incident_category or INCIDENT_OF_CAP_CATEGORY.get(self.category),
                "severity": INCIDENT_SEVERITY_OF_CAP[self.severity]}


class Subscription(models.Model):
    """Who hears of alerts by e-mail: a role, a unit or one user; which kinds of rule and CAP categories
    (none: all), which wards (none: all), from which severity, and quiet hours (Asia/Ho_Chi_Minh) in
    which alerts less severe than `quiet_below` are not e-mailed. Webhooks and MQTT carry every alert."""

    name = models.CharField("Tên", max_length=100)
    role = models.CharField("Vai trò", max_length=20, blank=True,
                            choices=[(role.code, f"{role.vi} / {role.en}") for role in ROLES])
    unit = models.ForeignKey("layers.ResponsibleUnit", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name="Đơn vị")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name="Người dùng")
    kinds = ArrayField(models.CharField(max_length=10, choices=RULE_KIND.choices), default=list, blank=True,
                       verbose_name="Loại quy tắc", help_text="để trống: mọi loại / blank: every kind")
    categories = ArrayField(models.CharField(max_length=10, choices=CAP_CATEGORY.choices), default=list,
                            blank=True, verbose_name="Lĩnh vực (CAP)", help_text="để trống: mọi lĩnh vực")
    wards = models.ManyToManyField("layers.AdminUnit", blank=True, related_name="+", verbose_name="Phường/xã",
                                   limit_choices_to={"level": "commune"})
    min_severity = models.CharField("Từ mức độ", max_length=10, choices=SEVERITY.choices, default="Minor")
    quiet_from = models.TimeField("Giờ yên lặng từ", null=True, blank=True)
    quiet_to = models.TimeField("Giờ yên lặng đến", null=True, blank=True)
    quiet_below = models.CharField("Yên lặng với mức dưới", max_length=10, choices=SEVERITY.choices,
                                   default="Severe")
    on_clear = models.BooleanField("Báo khi kết thúc", default=True)
    active = models.BooleanField("Đang dùng", default=True)

    class Meta:
        verbose_name = "Đăng ký nhận cảnh báo"
        verbose_name_plural = "Đăng ký nhận cảnh báo"
        constraints = [models.CheckConstraint(
            condition=(Q(role__gt="") & Q(unit__isnull=True) & Q(user__isnull=True))
            | (Q(role="") & Q(unit__isnull=False) & Q(user__isnull=True))
            | (Q(role="") & Q(unit__isnull=True) & Q(user__isnull=False)),
            name="subscription_one_recipient")]

    def __str__(self) -> str:
        return self.name


class EventAcknowledgement(models.Model):
    """An operator took a pinned event (a feature of a layer with a priority, layers.registry.Priority):
    who and when, once per feature; the wall stops pinning it and shows the others who took it."""

    layer = models.CharField("Lớp dữ liệu", max_length=40)
    feature_id = models.BigIntegerField("Mã đối tượng")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name="Người xác nhận")
    at = models.DateTimeField("Lúc", db_index=True)

    class Meta:
        verbose_name = "Xác nhận sự kiện ưu tiên"
        verbose_name_plural = "Xác nhận sự kiện ưu tiên"
        constraints = [models.UniqueConstraint(fields=["layer", "feature_id"], name="one_ack_per_event")]

    def __str__(self) -> str:
        return f"{self.layer}:{self.feature_id} ({self.by_id}, {self.at:%Y-%m-%d %H:%M})"
