"""Incident response: the SOP of each incident category (data an administrator edits), the steps of an
incident's response (the registry layer `incident_steps`), its log, the emergency stations (the layer
`emergency_stations`) and the routable graph of the roads layer (built by response.road_graph)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q

from layers.models.base import Feature, NamedPoint
from layers.vocabularies import INCIDENT_CATEGORY, ROAD_CLASS, UNIT_KIND
from response.vocabularies import EMERGENCY_SERVICE, LOG_KIND, STEP_STATUS
from spatial.roles import ROLES

ROLE_CHOICES = [(role.code, f"{role.vi} / {role.en}") for role in ROLES]


def lines(text: str) -> list[str]:
    """The non-blank lines of a text, stripped (a checklist: one item a line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class Sop(models.Model):
    """The standard operating procedure of one incident category: its ordered steps."""

    category = models.CharField("Loại sự cố", max_length=20, choices=INCIDENT_CATEGORY.choices, unique=True)
    title_vi = models.CharField("Tên quy trình", max_length=200)
    title_en = models.CharField("Tên quy trình (tiếng Anh)", max_length=200)
    active = models.BooleanField("Đang áp dụng", default=True,
                                 help_text="Tắt: sự cố mới của loại này mở không có bước / "
                                           "off: new incidents of this category open with no steps")
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "Quy trình ứng phó (SOP)"
        verbose_name_plural = "Quy trình ứng phó (SOP)"
        ordering = ("category",)

    def __str__(self) -> str:
        return self.title_vi


class SopStep(models.Model):
    """One step of an SOP: who is in charge (a role, a unit, or the unit of a kind serving the
    incident's commune), how many minutes after the opening it is due, and its checklist (one item a
    line, the same number of lines in both languages)."""

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="steps", verbose_name="Quy trình")
    number = models.PositiveSmallIntegerField("Thứ tự")
    title_vi = models.CharField("Nội dung bước", max_length=300)
    title_en = models.CharField("Nội dung bước (tiếng Anh)", max_length=300)
    role = models.CharField("Vai trò phụ trách", max_length=20, choices=ROLE_CHOICES, blank=True)
    unit = models.ForeignKey("layers.ResponsibleUnit", verbose_name="Đơn vị phụ trách", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    unit_kind = models.CharField(
        "Loại đơn vị phụ trách", max_length=12, choices=UNIT_KIND.choices, blank=True,
        help_text="Đơn vị loại này phụ trách phường/xã nơi xảy ra sự cố / the unit of this kind serving the "
                  "incident's commune")
    target_minutes = models.PositiveIntegerField("Thời hạn (phút từ khi mở)")
    checklist_vi = models.TextField("Danh sách kiểm tra (mỗi dòng một mục)", blank=True)
    checklist_en = models.TextField("Danh sách kiểm tra, tiếng Anh (mỗi dòng một mục)", blank=True)

    class Meta:
        verbose_name = "Bước của quy trình"
        ordering = ("sop", "number")
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="sop_step_number_unique"),
            models.CheckConstraint(condition=~Q(role="") | Q(unit__isnull=False) | ~Q(unit_kind=""),
                                   name="sop_step_someone_in_charge"),
            models.CheckConstraint(condition=Q(unit__isnull=True) | Q(unit_kind=""),
                                   name="sop_step_unit_or_unit_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_vi}"

    def clean(self) -> None:
        if not (self.role or self.unit_id or self.unit_kind):
            raise ValidationError("Chọn vai trò, đơn vị hoặc loại đơn vị phụ trách / choose the role, unit "
                                  "or kind of unit in charge")
        if self.unit_id and self.unit_kind:
            raise ValidationError({"unit_kind": "Chọn đơn vị hoặc loại đơn vị, không cả hai / a unit or a "
                                                "kind of unit, not both"})
        if len(lines(self.checklist_vi)) != len(lines(self.checklist_en)):
            raise ValidationError({"checklist_en": "Số mục tiếng Anh phải bằng số mục tiếng Việt / give as "
                                                   "many English items as Vietnamese ones"})

    @property
    def checklist(self) -> list[dict[str, str]]:
        """The checklist as [{"vi", "en"}], item by item."""
        return [{"vi": vi, "en": en} for vi, en in zip(lines(self.checklist_vi), lines(self.checklist_en),
                                                        strict=False)]


class IncidentResponse(models.Model):
    """That an incident's response was opened: when, by whom, under which SOP, raised by which alert
    (its id kept as a plain number: alerts are another app's)."""

    incident = models.OneToOneField("layers.Incident", on_delete=models.CASCADE, related_name="response",
                                    verbose_name="Sự cố")
    sop = models.ForeignKey(Sop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name="Quy trình")
    alert_id = models.BigIntegerField("Cảnh báo", null=True, blank=True)
    opened_at = models.DateTimeField("Mở lúc")
    opened_by = models.CharField("Người mở", max_length=150, blank=True)

    class Meta:
        verbose_name = "Ứng phó sự cố"

    def __str__(self) -> str:
        return f"{self.incident_id} @ {self.opened_at:%Y-%m-%d %H:%M}"


class IncidentStep(Feature):
    """A step of an incident's response, copied from its SOP step at the opening (a later edit of the
    SOP changes no step in flight), at the incident's point."""

    code = models.CharField("Mã", max_length=40, unique=True)
    incident = models.ForeignKey("layers.Incident", on_delete=models.CASCADE, related_name="steps",
                                 verbose_name="Sự cố")
    number = models.PositiveSmallIntegerField("Thứ tự")
    title_vi = models.CharField("Nội dung bước", max_length=300)
    title_en = models.CharField("Nội dung bước (tiếng Anh)", max_length=300)
    role = models.CharField("Vai trò phụ trách", max_length=20, choices=ROLE_CHOICES, blank=True)
    unit = models.ForeignKey("layers.ResponsibleUnit", verbose_name="Đơn vị phụ trách", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="incident_steps")
    checklist = models.JSONField("Danh sách kiểm tra", default=list, blank=True)  # [{"vi", "en"}]
    checked = models.JSONField("Mục đã kiểm", default=list, blank=True)  # indexes into the checklist
    note = models.TextField("Ghi chú khi hoàn thành", blank=True)
    status = models.CharField("Trạng thái", max_length=8, choices=STEP_STATUS.choices, default="todo")
    opened_at = models.DateTimeField("Mở lúc", db_index=True)
    due_at = models.DateTimeField("Hạn hoàn thành")
    done_at = models.DateTimeField("Hoàn thành lúc", null=True, blank=True)
    done_by = models.CharField("Người hoàn thành", max_length=150, blank=True)
    geom = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Bước ứng phó sự cố"
        ordering = ("incident", "number")
        constraints = [models.UniqueConstraint(fields=["incident", "number"],
                                               name="incident_step_number_unique")]

    def __str__(self) -> str:
        return self.code


class LogEntry(models.Model):
    """One line of an incident's log: who, when, what (the opening, a step done, a note), a photo."""

    incident = models.ForeignKey("layers.Incident", on_delete=models.CASCADE, related_name="log",
                                 verbose_name="Sự cố")
    at = models.DateTimeField("Thời điểm")
    by = models.CharField("Người ghi", max_length=150)
    kind = models.CharField("Loại", max_length=10, choices=LOG_KIND.choices)
    note = models.TextField("Nội dung", blank=True)
    step = models.ForeignKey(IncidentStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="Bước")
    photo = models.ImageField("Ảnh", upload_to="response/", blank=True)  # re-encoded by spatial.photos
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "Nhật ký sự cố"
        ordering = ("at", "id")
        indexes = [models.Index(fields=["incident", "at"])]


class EmergencyStation(NamedPoint):
    """A police or fire and rescue station: a resource the nearest-by-road list offers."""

    service = models.CharField("Lực lượng", max_length=8, choices=EMERGENCY_SERVICE.choices)
    hotline = models.CharField("Số điện thoại trực ban", max_length=20, blank=True)  # the station's own

    class Meta:
        verbose_name = "Trụ sở công an, PCCC"


class RoadEdge(models.Model):
    """An edge of the routable graph: a piece of a road between two junctions (source → target
    vertices), with its length and travel time in seconds either way (response.road_graph)."""

    road_id = models.BigIntegerField()  # the layers.Road it lies on (the graph is rebuilt, never edited)
    road_class = models.CharField(max_length=12, choices=ROAD_CLASS.choices)
    source = models.BigIntegerField(null=True)
    target = models.BigIntegerField(null=True)
    length_m = models.FloatField()
    cost_s = models.FloatField()
    reverse_cost_s = models.FloatField()
    geom = models.LineStringField(srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Cạnh đồ thị đường"


class RoadVertex(models.Model):
    """A junction or end of the routable graph; `main`: in its largest connected part (routes start
    and end there, so that a stray piece of road never strands a query)."""

    id = models.BigIntegerField(primary_key=True)
    component = models.BigIntegerField()
    main = models.BooleanField(default=False)
    geom = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Đỉnh đồ thị đường"


class RoadGraph(models.Model):
    """The one record of the graph's build: the roads (and speeds) it was built from, by signature."""

    signature = models.CharField(max_length=32)
    built_at = models.DateTimeField()
    edges = models.PositiveIntegerField(default=0)
    vertices = models.PositiveIntegerField(default=0)
    build_ms = models.FloatField(default=0)

    class Meta:
        verbose_name = "Đồ thị đường"
