"""Turn PostgreSQL's JIT compiler off for the platform's database.

PostGIS declares its functions expensive (ST_Transform, ST_AsMVTGeom, ST_AsGeoJSON), so an
ordinary vector tile or feature page passes jit_above_cost and PostgreSQL spends 5–30 ms compiling
a query that runs in 1 ms: the demo city's slowest 5 % of tiles took 37 ms with JIT and 6 ms
without. OpenStreetMap's tile servers turn JIT off for the same reason (openstreetmap/operations
#386, openstreetmap-carto #4592). The setting applies to sessions opened after this migration.
"""

from django.db import migrations

SET = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = {}', current_database()); END $$"


class Migration(migrations.Migration):
    dependencies = [("spatial", "0003_vn2000_spatial_ref_sys")]

    operations = [migrations.RunSQL(SET.format("off"), SET.format("on"))]
