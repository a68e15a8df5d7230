"""What the camera AI keeps per camera: calibration, rules, runs (with checkpoint), rule events, incidents."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q

from layers.vocabularies import OBJECT_CLASS
from vision.calibration import Calibration


class CameraCalibration(models.Model):
    """Reference points (pixel ↔ lon/lat) entered by an operator, and the homography fitted to them.

    `reference_points` is a list like ``[{"u": 120.5, "v": 300, "lon": 105.85, "lat": 21.03}, …]``.
    """

    camera = models.OneToOneField(
        "layers.Camera", verbose_name="Camera", on_delete=models.CASCADE, related_name="calibration"
    )
    reference_points = models.JSONField("Điểm khống chế (u, v, lon, lat)", default=list)
    fitted = models.JSONField("Ma trận đồng nhất (tính tự động)", default=dict, editable=False)
    reprojection_error_m = models.FloatField("Sai số chiếu lại RMS (m)", null=True, editable=False)
    check_error_m = models.FloatField("Sai số kiểm tra bỏ-một-điểm RMS (m)", null=True, editable=False)
    worst_point = models.PositiveSmallIntegerField("Điểm sai nhất (thứ tự)", null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Hiệu chỉnh camera"

    def __str__(self) -> str:
        return f"{self.camera}"

    def fit(self) -> Calibration:
        """Fit the homography to the reference points and store the result and its errors."""
        points = self.reference_points
        calibration = Calibration.from_points(
            [(p["u"], p["v"]) for p in points], [(p["lon"], p["lat"]) for p in points]
        )
        self.fitted = calibration.as_json()
        self.reprojection_error_m = calibration.reprojection_error_m
        self.check_error_m = calibration.check_error_m
        self.worst_point = calibration.worst_point
        return calibration

    @property
    def calibration(self) -> Calibration | None:
        return Calibration.from_json(self.fitted) if self.fitted else None


class CameraRule(models.Model):
    """A counting line, a dwell zone or a restricted zone drawn in map coordinates for one camera."""

    KINDS = [("line", "Đường đếm"), ("dwell", "Vùng dừng lâu"), ("restricted", "Vùng cấm")]

    camera = models.ForeignKey(
        "layers.Camera", verbose_name="Camera", on_delete=models.CASCADE, related_name="vision_rules"
    )
    name = models.CharField("Tên", max_length=100)
    kind = models.CharField("Loại", max_length=10, choices=KINDS)
    geom = models.GeometryField("Hình học", srid=4326)
    seconds = models.FloatField("Thời gian dừng (giây)", default=30)
    classes = ArrayField(
        models.CharField(max_length=10, choices=OBJECT_CLASS.choices),
        default=list,
        blank=True,
        verbose_name="Loại đối tượng theo dõi",
    )

    class Meta:
        verbose_name = "Quy tắc camera"
        constraints = [models.UniqueConstraint(fields=["camera", "name"], name="camera_rule_name")]

    def __str__(self) -> str:
        return self.name


class StreamRun(models.Model):
    """One processing of a source by a camera, and its checkpoint (next frame, tracker/gate/rules state).

    The checkpoint is written in the same transaction as the detections of the frames before it, so
    a worker that dies resumes exactly where the stored data ends.
    """

    camera = models.ForeignKey("layers.Camera", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=1000)
    started_at = models.DateTimeField()  # time of frame 0 for files
    next_frame = models.BigIntegerField(default=0)
    state = models.BinaryField(null=True)
    frames_done = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "vision_stream_run"


class RuleEvent(models.Model):
    """A crossing, dwell or intrusion of one track; counts are read from here."""

    camera = models.ForeignKey("layers.Camera", on_delete=models.CASCADE, related_name="+")
    track_id = models.BigIntegerField()
    rule = models.CharField(max_length=100)
    kind = models.CharField(max_length=10)
    direction = models.SmallIntegerField(default=0)
    object_class = models.CharField(max_length=10, choices=OBJECT_CLASS.choices)
    observed_at = models.DateTimeField()
    geom = models.PointField(srid=4326)

    class Meta:
        db_table = "vision_rule_event"
        constraints = [
            models.UniqueConstraint(
                fields=["camera", "track_id", "rule", "kind", "observed_at"], name="rule_event_once"
            )
        ]


class ZoneIncident(models.Model):
    """The link between a zone and its incident: at most one open incident per (camera, zone)."""

    incident = models.OneToOneField("layers.Incident", on_delete=models.CASCADE, related_name="+")
    camera = models.ForeignKey("layers.Camera", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=100)
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    tracks = models.PositiveIntegerField(default=1)
    evidence = models.CharField(max_length=300, blank=True)  # path under MEDIA_ROOT

    class Meta:
        db_table = "vision_zone_incident"
        constraints = [
            models.UniqueConstraint(
                fields=["camera", "rule"],
                condition=Q(closed_at__isnull=True),
                name="one_open_incident_per_zone",
            )
        ]
