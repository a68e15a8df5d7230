"""The demo city at the size the peers were measured on: 100,000 parcels and 1,000,000 detections.

The issue's peer figures (tipg, pygeoapi) come from a database of that size; the demo city holds
about 30,000 parcels and 100,000 detections. `--peer-sized` on bench/tiles and bench/ogc runs them
against a copy of the platform's database (`<name>_peers`), made once and reused:

- every parcel is cut into three or four strips across its width (lots of the same street blocks,
  narrower, as a denser cadastre would have them), numbered on sheets of their own;
- every detection gets nine companions from the same camera, a few metres and milliseconds apart
  (the same places and hours, ten times the traffic).

The copy goes through the platform's own triggers (areas, history, tile notices), as any bulk
edit would, and is analysed before use.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import replace

import psycopg
from psycopg import sql

from bench.live_server import database_config
from spatial.config import DatabaseConfig

PARCELS, DETECTIONS = 100_000, 1_000_000
MARK = f"bench: peer-sized copy ({PARCELS:,} parcels, {DETECTIONS:,} detections)"

# each parcel becomes `parts` strips of its bounding box, cut west to east; part 0 keeps its row
_SPLIT_PARCELS = ("""
CREATE TEMP TABLE strips AS
SELECT p.id, s.part, ST_Multi(ST_CollectionExtract(ST_Intersection(p.geom, ST_MakeEnvelope(
         ST_XMin(p.geom) + (ST_XMax(p.geom) - ST_XMin(p.geom)) * s.part / k.parts, ST_YMin(p.geom),
         ST_XMin(p.geom) + (ST_XMax(p.geom) - ST_XMin(p.geom)) * (s.part + 1) / k.parts, ST_YMax(p.geom),
         4326)), 3)) AS geom
FROM {parcel} p
CROSS JOIN LATERAL (SELECT CASE WHEN p.id %% 1000 < %(four_share)s THEN 4 ELSE 3 END AS parts) k
CROSS JOIN LATERAL generate_series(0, k.parts - 1) AS s(part)""",
    "DELETE FROM strips WHERE ST_IsEmpty(geom) OR NOT ST_IsValid(geom)",
    "UPDATE {parcel} p SET geom = s.geom FROM strips s WHERE s.id = p.id AND s.part = 0",
    """INSERT INTO {parcel} (sheet_no, parcel_no, land_use, address, owner_type, geom, ward_id)
SELECT p.sheet_no + 1000 * s.part, p.parcel_no, p.land_use, p.address, p.owner_type, s.geom, p.ward_id
FROM strips s JOIN {parcel} p ON p.id = s.id WHERE s.part > 0""")

_MULTIPLY_DETECTIONS = """
INSERT INTO {detection} (camera_id, object_class, confidence, observed_at, track_id,
                         ground_located, bbox, ward_id, geom)
SELECT d.camera_id, d.object_class, d.confidence, d.observed_at + n * interval '1 millisecond',
       d.track_id, d.ground_located, d.bbox, d.ward_id,
       ST_Translate(d.geom, (random() - 0.5) * 0.0001, (random() - 0.5) * 0.0001)
FROM {detection} d CROSS JOIN generate_series(1, %(copies)s) AS n
WHERE d.id IN (SELECT id FROM {detection} ORDER BY id LIMIT %(originals)s)
"""


def _tables() -> dict[str, sql.Identifier]:
    """The tables the copy grows, from the models (Django set up on the copy: DATABASE_URL is its)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    import django

    django.setup()
    from layers.models import Detection, Parcel

    return {"parcel": sql.Identifier(Parcel._meta.db_table),
            "detection": sql.Identifier(Detection._meta.db_table)}


def _sql(text: str) -> str:
    """`text` with {parcel} and {detection} the tables' quoted names."""
    return sql.SQL(text).format(**_tables()).as_string(None)


def _counts(conn: psycopg.Connection) -> tuple[int, int]:
    return conn.execute(
        _sql("SELECT (SELECT count(*) FROM {parcel}), (SELECT count(*) FROM {detection})")
    ).fetchone()


def _admin(config: DatabaseConfig) -> psycopg.Connection:
    return psycopg.connect(replace(config, name="postgres").as_url(), autocommit=True)


def _is_ready(admin: psycopg.Connection, name: str) -> bool:
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
    ).fetchone()
    return row is not None and row[0] == MARK


def _copy(source: DatabaseConfig, target: DatabaseConfig, admin: psycopg.Connection) -> None:
    """`target` as a copy of `source` (pg_dump | pg_restore: the platform may be running)."""
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    dump = subprocess.Popen(["pg_dump", "-Fc", "--no-owner", source.as_url()], stdout=subprocess.PIPE)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", target.as_url()],
                   stdin=dump.stdout, check=True)
    if dump.wait() != 0:
        raise SystemExit(f"pg_dump of {source.name} failed")


def _grow(target: DatabaseConfig) -> tuple[int, int]:
    """Cut parcels and multiply detections until the copy holds PARCELS and DETECTIONS rows."""
    with psycopg.connect(target.as_url(), autocommit=True) as conn:
        parcels, detections = _counts(conn)
        if parcels < 1000 or detections < 1000:
            raise SystemExit(f"{target.name}: the demo city is not loaded (scripts/up.sh loads it)")
        # parts per parcel: 3, and 4 for a share of them, so that the total is PARCELS
        four_share = max(0, min(1000, round(1000 * (PARCELS / parcels - 3))))
        copies = max(1, -(-DETECTIONS // detections) - 1)
        originals = -(-(DETECTIONS - detections) // copies)
        with conn.transaction():
            for statement in _SPLIT_PARCELS:
                conn.execute(_sql(statement), {"four_share": four_share} if "%(" in statement else None)
            conn.execute(_sql(_MULTIPLY_DETECTIONS), {"copies": copies, "originals": originals})
        conn.execute(_sql("VACUUM ANALYZE {parcel}"))
        conn.execute(_sql("VACUUM ANALYZE {detection}"))
        return _counts(conn)


def use_peer_sized_database() -> DatabaseConfig:
    """Point this process (and servers it starts) at the peer-sized copy, making it if needed."""
    source = database_config()
    if source.name.endswith("_peers"):  # already pointed at it
        return source
    target = replace(source, name=f"{source.name}_peers")
    os.environ["DATABASE_URL"] = target.as_url()  # before Django reads its settings (_tables)
    with _admin(source) as admin:
        if not _is_ready(admin, target.name):
            print(f"  making {target.name}: a copy of {source.name} grown to {PARCELS:,} parcels and "
                  f"{DETECTIONS:,} detections (once; reused by later runs) …", flush=True)
            start = time.perf_counter()
            _copy(source, target, admin)
            parcels, detections = _grow(target)
            admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(target.name),
                                                                        sql.Literal(MARK)))
            print(f"  … {parcels:,} parcels, {detections:,} detections in "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
    return target
