"""Teach PostGIS the VN-2000 TM-3 zones with the published datum shift (for crs=EPSG:92xx output).

PostGIS 3.3 lacks EPSG:9205–9218. Rows are added under auth_name 'IOC' so that ST_Transform uses
the PROJ string given here (with the published 7 parameters, position-vector signs) rather than a
transformation PROJ would pick on its own.
"""

import warnings

from django.db import migrations

ZONE_SRIDS = range(9205, 9219)


def add_zones(apps, schema_editor):
    from pyproj import CRS

    from spatial import vn2000

    with schema_editor.connection.cursor() as cursor:
        for srid in ZONE_SRIDS:
            cursor.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", [srid])
            if cursor.fetchone():
                continue
            crs = vn2000.bind_published(CRS.from_epsg(srid))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                proj4 = crs.to_proj4()
            cursor.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                "VALUES (%s, 'IOC', %s, %s, %s)", [srid, srid, crs.to_wkt("WKT1_GDAL"), proj4])


def remove_zones(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM spatial_ref_sys WHERE auth_name = 'IOC' AND srid BETWEEN 9205 AND 9218")


class Migration(migrations.Migration):
    dependencies = [("spatial", "0002_api_tokens")]

    operations = [migrations.RunPython(add_zones, remove_zones)]
