"""Incidents and citizen reports keep history from now on (layers.catalog: history=True): each row
that existed before gets its creation entry, so `as-of` and the history API know it.

The SQL is frozen here (migrations do not import the application): the entry has the attributes as
the history triggers write them (every column but the geometry) and the geometry on its own.
"""

from django.db import migrations

TABLES = ("layers_incident", "layers_citizenreport")
BACKFILL = """
INSERT INTO layers_featurehistory (table_name, feature_id, operation, changed_at, actor, before, after,
                                   before_geom, after_geom)
SELECT '{table}', t.id, 'I', t.created_at, 'migration', NULL, to_jsonb(t) - 'geom', NULL, t.geom
FROM {table} t
WHERE NOT EXISTS (SELECT 1 FROM layers_featurehistory h WHERE h.table_name = '{table}' AND h.feature_id = t.id)
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_history_latest_index")]

    operations = [migrations.RunSQL(BACKFILL.format(table=table), migrations.RunSQL.noop) for table in TABLES]
