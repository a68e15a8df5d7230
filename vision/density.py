"""Rebuild the hourly detection aggregates (layers_detection_density) from the stored detections.

The writer keeps them up to date incrementally; this full rebuild is for detections that arrived by
another road (the demo's bulk load, an import) and for repairs. It replaces the table's contents in one
transaction, under a lock that makes concurrent writers wait.
"""

from __future__ import annotations

import logging
from collections import Counter

import h3
import psycopg

from vision.writer import H3_RESOLUTIONS, cell_wkt

logger = logging.getLogger(__name__)

READ = (
    "SELECT camera_id, ward_id, object_class, date_trunc('hour', observed_at), track_id, "
    "ST_X(geom), ST_Y(geom) FROM layers_detection ORDER BY camera_id, track_id, observed_at"
)
COLUMNS = "camera_id, ward_id, h3_cell, h3_resolution, object_class, hour, detections, tracks, geom"


def rebuild(conninfo: str) -> int:
    """Recompute every aggregate row from layers_detection; returns the number of rows written."""
    detections: Counter = Counter()
    tracks: Counter = Counter()
    with psycopg.connect(conninfo) as conn:
        conn.execute("LOCK TABLE layers_detection_density IN EXCLUSIVE MODE")
        last_track = object()
        with conn.cursor(name="vision_density_read") as cursor:
            cursor.execute(READ)
            for camera_id, ward_id, object_class, hour, track_id, lon, lat in cursor:
                finest = h3.latlng_to_cell(lat, lon, H3_RESOLUTIONS[-1])
                for res in H3_RESOLUTIONS:
                    key = (camera_id, ward_id, h3.cell_to_parent(finest, res), res, object_class, hour)
                    detections[key] += 1
                    if track_id is None or (camera_id, track_id) != last_track:  # a track's first row
                        tracks[key] += 1
                last_track = (camera_id, track_id)
        conn.execute("DELETE FROM layers_detection_density")
        with conn.cursor().copy(f"COPY layers_detection_density ({COLUMNS}) FROM STDIN") as copy:
            for key, count in detections.items():
                copy.write_row((*key, count, tracks[key], f"SRID=4326;{cell_wkt(key[2])}"))
    logger.info("rebuilt %d detection density rows", len(detections))
    return len(detections)
