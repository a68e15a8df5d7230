"""The database functions, from versioned .sql files (layers/sql/0008_*.sql): the ones the registry's
triggers and the services call (until now re-installed after every migrate by layers.db_hooks) and
ioc_commune_at, the one answer to "which commune contains this place on this day".

Frozen: a file loaded here is never edited (its SHA-256 is checked below); a later change to a
function comes as a new file loaded by a new migration. No application module is imported.
"""

import hashlib
from pathlib import Path

from django.db import migrations

SQL = Path(__file__).resolve().parent.parent / "sql"
FILES = {
    "0008_functions.sql": "bcc74f770d3a51ed89d17f5b4736bb156c6a3104be3ce17145e0a735875d58de",
    "0008_commune_at.sql": "296bcf1955a8bd21e239254a0330b501806f6bae19bae76610c6a94f3a88a0f2",
}


def frozen(name: str) -> str:
    """The text of layers/sql/`name`, refused if it is not the text this migration was written for."""
    text = (SQL / name).read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != FILES[name]:
        raise RuntimeError(f"layers/sql/{name} changed after migration 0008 loaded it (sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


class Migration(migrations.Migration):
    dependencies = [("layers", "0007_titles_from_declarations")]

    operations = [
        # the functions existed before (installed after migrate): unmigrating leaves them in place
        migrations.RunSQL(frozen("0008_functions.sql"), migrations.RunSQL.noop),
        migrations.RunSQL(frozen("0008_commune_at.sql"),
                          "DROP FUNCTION IF EXISTS ioc_commune_at(geometry, date)"),
    ]
