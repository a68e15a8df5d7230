"""pgRouting, for the nearest resources by road (response.road_graph, response.nearest): the extension
from the Debian package postgresql-15-pgrouting (scripts/lib.sh installs it; the compose database image
carries it).

Frozen: response/sql/0001_pgrouting.sql is never edited (its SHA-256 is checked below); a later change
comes as a new file loaded by a new migration. No application module is imported.
"""

import hashlib
from pathlib import Path

from django.db import migrations

SQL = Path(__file__).resolve().parent.parent / "sql"
FILES = {"0001_pgrouting.sql": "a1ed9d18894fd80c4791a0da66ba12754d3505c85632d53febaf97c4cede19f8"}


def frozen(name: str) -> str:
    """The text of response/sql/`name`, refused if it is not the text this migration was written for."""
    text = (SQL / name).read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != FILES[name]:
        raise RuntimeError(f"response/sql/{name} changed after migration 0001 loaded it (sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [
        # other databases' objects may come to depend on the extension: unmigrating leaves it in place
        migrations.RunSQL(frozen("0001_pgrouting.sql"), migrations.RunSQL.noop),
    ]
