"""Change history of edited layers, written by database triggers (see layers.db_hooks).

Because the rows are written in PostgreSQL, edits from any client (the ORM, the API, QGIS over
plain SQL) are recorded alike. `actor` is the application user (set per transaction with
`SET LOCAL ioc.actor`) or else the database role that made the change. Attributes are kept as
JSON, the geometry as real geometries (before_geom/after_geom) so history can be drawn and queried.
"""

from django.contrib.gis.db import models


class FeatureHistory(models.Model):
    OPERATIONS = [("I", "Thêm mới / Insert"), ("U", "Sửa / Update"), ("D", "Xóa / Delete")]

    table_name = models.CharField(max_length=63)
    feature_id = models.BigIntegerField()
    operation = models.CharField(max_length=1, choices=OPERATIONS)
    changed_at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    before_geom = models.GeometryField(srid=4326, null=True, spatial_index=False)
    after_geom = models.GeometryField(srid=4326, null=True, spatial_index=False)

    class Meta:
        verbose_name = "Lịch sử thay đổi"
        indexes = [
            # a feature's log in order, and its last entry at a moment (layers.history.as_of_queryset)
            models.Index(fields=["table_name", "feature_id", "-changed_at", "-id"],
                         name="layers_history_latest"),
            models.Index(fields=["table_name", "changed_at"]),
        ]
        ordering = ["changed_at", "id"]
