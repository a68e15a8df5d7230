"""Teach PostGIS the VN-2000 TM-3 zones with the published datum shift (for crs=EPSG:92xx output).

PostGIS 3.3 lacks EPSG:9205–9218. Rows are added under auth_name 'IOC' so that ST_Transform uses
the PROJ string given here (with the published 7 parameters, position-vector signs) rather than a
transformation PROJ would pick on its own.

The rows are frozen in spatial/sql/0003_vn2000_zones.sql (written once from spatial.vn2000; its
SHA-256 is checked below): no application module is imported, so a later change to spatial.vn2000
changes no database this migration makes.
"""

import hashlib
from pathlib import Path

from django.db import migrations

SQL = Path(__file__).resolve().parent.parent / "sql"
FILES = {"0003_vn2000_zones.sql": "80e066f76a1ab0f6041af2f2cb51d38ab3931b09f3d1455a1466cf4631a10d72"}


def frozen(name: str) -> str:
    """The text of spatial/sql/`name`, refused if it is not the text this migration was written for."""
    text = (SQL / name).read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != FILES[name]:
        raise RuntimeError(f"spatial/sql/{name} changed after migration 0003 loaded it (sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


class Migration(migrations.Migration):
    dependencies = [("spatial", "0002_api_tokens")]

    operations = [
        migrations.RunSQL(frozen("0003_vn2000_zones.sql"),
                          "DELETE FROM spatial_ref_sys WHERE auth_name = 'IOC' AND srid BETWEEN 9205 AND 9218"),
    ]
