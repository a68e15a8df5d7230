"""Buildings (nhà, công trình): footprints with their use, floors, height and year, on a parcel.

A building's parcel left blank is the parcel under its footprint (ST_PointOnSurface), set by the
database whoever writes it (an import, the editing API, the demo city): layers/sql/0017_buildings.sql.
"""

from django.contrib.gis.db import models

from layers.models.base import WardFeature
from layers.vocabularies import BUILDING_USE


class Building(WardFeature):
    """One building's footprint; `code` is the register's identifier (mã công trình)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    building_use = models.CharField(max_length=12, choices=BUILDING_USE.choices)
    floors = models.PositiveSmallIntegerField(null=True, blank=True)
    height_m = models.FloatField(null=True, blank=True)
    year_built = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # a parcel deleted (split, merged, replaced) leaves its buildings without one until they are saved
    parcel = models.ForeignKey("layers.Parcel", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="buildings")
    # the footprint's area, kept by the database (as a parcel's)
    area_m2 = models.FloatField(editable=False, default=0, db_default=0)
    geom = models.MultiPolygonField(srid=4326, spatial_index=True)

    def __str__(self) -> str:
        return self.name or self.code
