"""The search box's database side, from layers/sql/0014_search.sql: the extensions unaccent and
pg_trgm, ioc_fold (an IMMUTABLE unaccent for indexes) and the trigram indexes of the fields the layers
declare as searched (tests/web_map/test_search_api.py checks every declared field has its index).

Frozen: the file is never edited (its SHA-256 is checked below); a change comes as a new file loaded
by a new migration. No application module is imported.
"""

import hashlib
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "sql" / "0014_search.sql"
SHA256 = "6d189a22ea24ad87524653bfde148726acda547cdc711ef0c89732ba9318d7c9"
INDEXES = ("adminunit_name", "adminunit_name_en", "parcel_address", "parcelowner_full_name", "road_name",
           "waterbody_name", "school_name", "healthfacility_name", "lodging_name", "servicepoint_name",
           "envstation_name", "camera_name")


def frozen() -> str:
    """The text of the SQL file, refused if it is not the text this migration was written for."""
    text = FILE.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"layers/sql/{FILE.name} changed after migration 0014 loaded it "
                           f"(sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


# unmigrating drops the indexes and the function, and leaves the extensions (others may use them)
BACKWARDS = "".join(f"DROP INDEX IF EXISTS layers_{name}_search;" for name in INDEXES) + (
    "DROP INDEX IF EXISTS layers_parcel_sheet_parcel; DROP FUNCTION IF EXISTS ioc_fold(text);")


class Migration(migrations.Migration):
    dependencies = [("layers", "0013_citizen_rating")]

    operations = [migrations.RunSQL(frozen(), BACKWARDS)]
