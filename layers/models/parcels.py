"""Land parcels (thửa đất) and their owners, who are kept in a separate restricted table."""

from django.contrib.gis.db import models

from layers.labels import vi
from layers.models.base import WardFeature
from layers.vocabularies import LAND_USE, OWNER_TYPE


class Parcel(WardFeature):
    """A cadastral parcel: sheet and parcel numbers are unique within a ward."""

    ward = models.ForeignKey("layers.AdminUnit", on_delete=models.PROTECT,
                             related_name="+", db_index=False)  # (the unique number in ward leads with it)
    sheet_no = models.PositiveIntegerField()
    parcel_no = models.PositiveIntegerField()
    land_use = models.CharField(max_length=3, choices=LAND_USE.choices)
    area_m2 = models.FloatField(editable=False, default=0, db_default=0)
    address = models.CharField(max_length=300, blank=True)
    owner_type = models.CharField(max_length=3, choices=OWNER_TYPE.choices)
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "sheet_no", "parcel_no"], name="parcel_number_unique_in_ward"
            )
        ]

    def __str__(self) -> str:
        return f"Tờ {self.sheet_no} thửa {self.parcel_no}"


class ParcelOwner(models.Model):
    """Personal data of a land user: restricted, never in public responses, logs or tiles."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="owners")
    full_name = models.CharField(vi("full_name"), max_length=200)
    id_number = models.CharField(vi("id_number"), max_length=20, blank=True)
    phone = models.CharField(vi("phone"), max_length=20, blank=True)
    address = models.CharField(vi("address"), max_length=300, blank=True)
    share_pct = models.FloatField(vi("share_pct"), default=100)

    class Meta:
        verbose_name = "Chủ sử dụng đất"
