"""Parcel lineage: which parcels a split or merge retired and which it created."""

from django.contrib.gis.db import models


class ParcelLineage(models.Model):
    """One parent → child link. Ids are kept without foreign keys: retired parcels live on in history."""

    OPERATIONS = [("split", "Tách thửa / Split"), ("merge", "Hợp thửa / Merge")]

    parent_id = models.BigIntegerField()  # (the unique link leads with it)
    child_id = models.BigIntegerField(db_index=True)
    operation = models.CharField(max_length=5, choices=OPERATIONS)
    happened_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)

    class Meta:
        verbose_name = "Biến động thửa đất"
        constraints = [models.UniqueConstraint(fields=["parent_id", "child_id"], name="lineage_unique_link")]
