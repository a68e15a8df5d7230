"""Camera detections: the largest table, range-partitioned by month on observed_at.

The table is created by SQL in the migration (Django cannot declare partitioning), so the model
is unmanaged. Each monthly partition carries a BRIN index on time, a GiST index on the ground
point, the unique (camera, time, track) b-tree and a (ward, time) one; retention drops whole
partitions (layers.partitions).
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField

from layers.vocabularies import OBJECT_CLASS


class Detection(models.Model):
    id = models.BigAutoField(primary_key=True)
    camera = models.ForeignKey(
        "layers.Camera", on_delete=models.DO_NOTHING, db_constraint=False
    )
    object_class = models.CharField(max_length=10, choices=OBJECT_CLASS.choices)
    confidence = models.FloatField()
    observed_at = models.DateTimeField()
    track_id = models.BigIntegerField(null=True)
    ground_located = models.BooleanField(default=True)
    bbox = ArrayField(models.SmallIntegerField(), size=4, null=True)
    ward = models.ForeignKey(
        "layers.AdminUnit", null=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    geom = models.PointField(srid=4326)

    class Meta:
        managed = False
        db_table = "layers_detection"


class DetectionDensity(models.Model):
    """Detections per camera, ward, H3 cell (res 8–10), object class and hour; kept up to date by the
    vision writer from the rows it inserts (never by recounting). `geom` is the H3 cell's polygon."""

    camera = models.ForeignKey(  # (no index of its own: the unique key leads with it)
        "layers.Camera", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", db_index=False,
    )
    ward = models.ForeignKey(  # (no index of its own: the (ward, hour) index leads with it)
        "layers.AdminUnit", null=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", db_index=False,
    )
    h3_cell = models.CharField("Ô H3", max_length=16)
    h3_resolution = models.PositiveSmallIntegerField("Độ phân giải H3")
    object_class = models.CharField(max_length=10, choices=OBJECT_CLASS.choices)
    hour = models.DateTimeField("Giờ")
    detections = models.PositiveIntegerField("Số lượt phát hiện", default=0)
    tracks = models.PositiveIntegerField("Số đối tượng", default=0)
    geom = models.PolygonField(srid=4326)

    class Meta:
        db_table = "layers_detection_density"
        verbose_name = "Mật độ phát hiện (H3)"
        constraints = [
            models.UniqueConstraint(
                fields=["camera", "ward", "h3_cell", "object_class", "hour"],
                name="detection_density_key", nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["h3_resolution", "hour"]), models.Index(fields=["ward", "hour"])]
