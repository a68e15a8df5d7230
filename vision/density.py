"""Rebuild the hourly detection aggregates (DetectionDensity) from the stored detections.

The writer keeps them up to date incrementally; this full rebuild is for detections that arrived by
another road (the demo's bulk load, an import) and for repairs. It replaces the table's contents in one
transaction, under a lock that makes concurrent writers wait.
"""

from __future__ import annotations

import logging
from collections import Counter

import h3
import psycopg
from psycopg import sql

from layers.identifiers import names, table
from layers.models.detections import Detection, DetectionDensity
from spatial.h3_cells import cell_wkt
from vision.writer import H3_RESOLUTIONS

logger = logging.getLogger(__name__)

READ = (
    "SELECT {d.camera}, {d.ward}, {d.object_class}, date_trunc('hour', {d.observed_at}), {d.track_id}, "
    "ST_X({d.geom}), ST_Y({d.geom}) FROM {d} ORDER BY {d.camera}, {d.track_id}, {d.observed_at}"
)
COLUMNS = ("camera", "ward", "h3_cell", "h3_resolution", "object_class", "hour", "detections", "tracks",
           "geom")  # the fields of DetectionDensity, in the order the rows are written


def rebuild(conninfo: str) -> int:
    """Recompute every aggregate row from the detections; returns the number of rows written."""
    detections: Counter = Counter()
    tracks: Counter = Counter()
    density = table(DetectionDensity)
    with psycopg.connect(conninfo) as conn:
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(density))
        last_track = object()
        with conn.cursor(name="vision_density_read") as cursor:
            cursor.execute(sql.SQL(READ).format(**names(Detection, "d")))
            for camera_id, ward_id, object_class, hour, track_id, lon, lat in cursor:
                finest = h3.latlng_to_cell(lat, lon, H3_RESOLUTIONS[-1])
                for res in H3_RESOLUTIONS:
                    key = (camera_id, ward_id, h3.cell_to_parent(finest, res), res, object_class, hour)
                    detections[key] += 1
                    if track_id is None or (camera_id, track_id) != last_track:  # a track's first row
                        tracks[key] += 1
                last_track = (camera_id, track_id)
        conn.execute(sql.SQL("DELETE FROM {}").format(density))
        copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(density, sql.SQL(", ").join(
            sql.Identifier(DetectionDensity._meta.get_field(name).column) for name in COLUMNS))
        with conn.cursor().copy(copy_in) as copy:
            for key, count in detections.items():
                copy.write_row((*key, count, tracks[key], f"SRID=4326;{cell_wkt(key[2])}"))
    logger.info("rebuilt %d detection density rows", len(detections))
    return len(detections)
