"""ioc_commune_holding: the commune rule as a set-returning function the planner inlines into a
LATERAL join (bulk callers, e.g. an import's points), from layers/sql/0019_commune_holding.sql;
ioc_commune_at now asks it, so the rule is written once.

Frozen: the SQL file is never edited (its SHA-256 is checked below); a change comes as a new file
loaded by a new migration. No application module is imported.
"""

import hashlib
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "sql" / "0019_commune_holding.sql"
SHA256 = "2f64962da1681faebbdf68556628ce8e2e87a04a3d827d9452642a47d31511a0"
# back to 0008's own ioc_commune_at, which holds the rule itself
BACKWARDS = ("CREATE OR REPLACE FUNCTION ioc_commune_at(place geometry, day date) RETURNS bigint "
             "LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ SELECT u.id FROM layers_adminunit u "
             "WHERE u.level = 'commune' AND u.valid_from <= day AND (u.valid_to IS NULL OR u.valid_to > day) "
             "AND ST_Intersects(u.geom, ST_PointOnSurface(place)) ORDER BY u.id LIMIT 1 $$; "
             "DROP FUNCTION IF EXISTS ioc_commune_holding(geometry, date);")


def frozen() -> str:
    """The text of the SQL file, refused if it is not the text this migration was written for."""
    text = FILE.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"layers/sql/{FILE.name} changed after migration 0019 loaded it "
                           f"(sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


class Migration(migrations.Migration):

    dependencies = [
        ('layers', '0018_fewer_indexes'),
    ]

    operations = [
        migrations.RunSQL(frozen(), BACKWARDS),
    ]
