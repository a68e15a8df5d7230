"""Store a batch of frames in one transaction: detections, hourly aggregates, events, incidents, checkpoint.

COPY → temporary staging table → INSERT … ON CONFLICT DO NOTHING RETURNING; the hourly aggregates
(per camera, ward, H3 cell at resolutions 8–10 and class) are fed only by the rows actually
inserted, and the checkpoint moves forward in the same transaction. A batch replayed after a crash
therefore inserts nothing and counts nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import h3
import psycopg
from psycopg import sql

from layers.communes import commune_at, local_day
from layers.identifiers import names
from layers.models.detections import Detection, DetectionDensity
from layers.partitions import ensure_partitions, month_after
from spatial.h3_cells import cell_wkt
from vision.incidents import ZoneAlert, close_zone, raise_alert

logger = logging.getLogger(__name__)

H3_RESOLUTIONS = (9,)
DENSITY_KEY = "detection_density_key"  # the unique constraint the aggregates accumulate on
STAGE_COLUMNS = (
    "camera_id",
    "observed_at",
    "track_id",
    "object_class",
    "confidence",
    "ground_located",
    "bbox",
    "lon",
    "lat",
    "h3_cell",
    "first",
)

# vision_stage: the batch's rows with their finest H3 cell; vision_stage_cell: for each finest cell of
# the batch, itself and its parents (one row per resolution) with their polygons.
CREATE_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS vision_stage (
    camera_id bigint, observed_at timestamptz, track_id bigint, object_class varchar(10),
    confidence double precision, ground_located boolean, bbox smallint[], lon double precision,
    lat double precision, h3_cell text, first boolean
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS vision_stage_cell (finest text, res smallint, cell text, wkt text)
    ON COMMIT DELETE ROWS;
"""

# Aggregates at the finest resolution first (few groups), then rolled up to every resolution. A
# detection's ward is the commune holding its point on its local day (layers.communes).
INSERT_DETECTIONS = """
WITH inserted AS (
    INSERT INTO {det} ({det.camera}, {det.object_class}, {det.confidence}, {det.observed_at}, {det.track_id},
                       {det.ground_located}, {det.bbox}, {det.ward}, {det.geom})
    SELECT s.camera_id, s.object_class, s.confidence, s.observed_at, s.track_id, s.ground_located, s.bbox,
           {ward}, {point}
      FROM vision_stage s
    ON CONFLICT ({det.camera}, {det.observed_at}, {det.track_id}) DO NOTHING
    RETURNING {det.camera} AS camera_id, {det.observed_at} AS observed_at, {det.track_id} AS track_id,
              {det.object_class} AS object_class, {det.ward} AS ward_id
), finest AS (
    SELECT i.camera_id, i.ward_id, s.h3_cell, i.object_class, date_trunc('hour', i.observed_at) AS hour,
           count(*) AS detections, count(*) FILTER (WHERE s.first) AS tracks
      FROM inserted i JOIN vision_stage s USING (camera_id, observed_at, track_id)
     GROUP BY 1, 2, 3, 4, 5
), counted AS (
    INSERT INTO {density} AS d ({density.camera}, {density.ward}, {density.h3_cell},
                                {density.h3_resolution}, {density.object_class}, {density.hour},
                                {density.detections}, {density.tracks}, {density.geom})
    SELECT f.camera_id, f.ward_id, c.cell, c.res, f.object_class, f.hour, sum(f.detections), sum(f.tracks),
           ST_GeomFromText(min(c.wkt), 4326)
      FROM finest f JOIN vision_stage_cell c ON c.finest = f.h3_cell
     GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT {density_key}
    DO UPDATE SET {density.detections} = d.{density.detections} + EXCLUDED.{density.detections},
                  {density.tracks} = d.{density.tracks} + EXCLUDED.{density.tracks}
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM counted)
"""


@lru_cache(maxsize=1)
def insert_detections() -> str:
    """INSERT_DETECTIONS with the tables and columns of the models."""
    point = sql.SQL("ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)")
    return sql.SQL(INSERT_DETECTIONS).format(
        **names(Detection, "det"), **names(DetectionDensity, "density"),
        density_key=sql.Identifier(DENSITY_KEY), point=point,
        ward=commune_at(point, local_day(sql.SQL("s.observed_at")))).as_string(None)


@lru_cache(maxsize=65536)
@dataclass(frozen=True)
class EventRow:
    """A rule event to store: crossing, dwell, intrusion (stored) or clear (closes the zone's incident)."""

    camera_id: int
    track_id: int
    rule: str
    kind: str
    direction: int
    object_class: str
    observed_at: datetime
    lon: float
    lat: float
    evidence: str = ""


@dataclass
class Batch:
    """What a stretch of frames produced, and where the stream stands after it."""

    run_id: int
    next_frame: int
    state: bytes | None
    frames: int = 0
    rows: list[tuple] = field(default_factory=list)  # STAGE_COLUMNS without the h3 cells
    events: list[EventRow] = field(default_factory=list)
    finished: bool = False


@dataclass
class Written:
    detections: int = 0
    aggregate_rows: int = 0
    events: int = 0


class DetectionWriter:
    """Writes batches on its own autocommit connection (each batch is one explicit transaction)."""

    def __init__(self, conninfo: str) -> None:
        # autocommit: every `with transaction()` is a real transaction, not a savepoint of an open one.
        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.conn.execute(CREATE_STAGE)
        self._months: set[tuple[int, int]] = set()

    def close(self) -> None:
        self.conn.close()

    def ensure_partitions(self, rows: list[tuple]) -> None:
        """Create the monthly partitions the rows need, and the next month's ahead (once per month; on
        the caller's Django connection, so call it from the thread that owns that connection, not from
        a storing thread). Ahead: a camera's first row of a month then creates nothing, so it never
        queues behind an archive import holding the detections' partitioning (etl.month_load), with
        every reader of the detections queued behind it."""
        if not rows:
            return
        times = [row[1] for row in rows]
        months = {(t.year, t.month) for t in times} - self._months
        if months:
            ensure_partitions(min(times), month_after(max(times)))
            self._months |= months


    def write(self, batch: Batch) -> Written:
        """Store the batch and move the checkpoint, all or nothing."""
        written = Written()
        with self.conn.transaction(), self.conn.cursor() as cursor:
            if batch.rows:
                written.detections, written.aggregate_rows = self._detections(cursor, batch.rows)
            for event in batch.events:
                written.events += self._event(cursor, event)
            cursor.execute(
                "UPDATE vision_stream_run SET next_frame = %(next)s, state = %(state)s, "
                "frames_done = frames_done + %(frames)s, "
                "finished_at = CASE WHEN %(finished)s THEN now() END, updated_at = now() "
                "WHERE id = %(run)s AND (next_frame < %(next)s OR (%(finished)s AND next_frame = %(next)s))",
                {
                    "next": batch.next_frame,
                    "state": batch.state,
                    "frames": batch.frames,
                    "finished": batch.finished,
                    "run": batch.run_id,
                },
            )
        return written

    def _detections(self, cursor: psycopg.Cursor, rows: list[tuple]) -> tuple[int, int]:
        finest_cells: set[str] = set()
        lines = []
        for camera_id, at, track_id, object_class, confidence, located, box, lon, lat, first in rows:
            cell = h3.latlng_to_cell(lat, lon, H3_RESOLUTIONS[-1])
            finest_cells.add(cell)
            # COPY text format by hand: several times cheaper per row than write_row, same values
            lines.append(
                f"{camera_id}\t{at.isoformat()}\t{track_id}\t{object_class}\t{confidence!r}\t"
                f"{'t' if located else 'f'}\t{{{box[0]},{box[1]},{box[2]},{box[3]}}}\t{lon!r}\t{lat!r}\t"
                f"{cell}\t{'t' if first else 'f'}\n"
            )
        with cursor.copy(f"COPY vision_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
            copy.write("".join(lines))
        with cursor.copy("COPY vision_stage_cell (finest, res, cell, wkt) FROM STDIN") as copy:
            for finest in finest_cells:
                for res in H3_RESOLUTIONS:
                    cell = h3.cell_to_parent(finest, res)
                    copy.write_row((finest, res, cell, cell_wkt(cell)))
        cursor.execute(insert_detections())
        inserted, aggregated = cursor.fetchone()
        return int(inserted), int(aggregated)

    def _event(self, cursor: psycopg.Cursor, event: EventRow) -> int:
        if event.kind == "clear":
            close_zone(cursor, event.camera_id, event.rule, event.observed_at)
            return 0
        cursor.execute(
            "INSERT INTO vision_rule_event "
            "(camera_id, track_id, rule, kind, direction, object_class, observed_at, "
            "geom) VALUES (%s, %s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) "
            "ON CONFLICT DO NOTHING RETURNING id",
            (
                event.camera_id,
                event.track_id,
                event.rule,
                event.kind,
                event.direction,
                event.object_class,
                event.observed_at,
                event.lon,
                event.lat,
            ),
        )
        if cursor.fetchone() is None:
            return 0  # already stored by an earlier attempt
        if event.kind in ("intrusion", "dwell"):
            raise_alert(
                cursor,
                ZoneAlert(
                    event.camera_id,
                    event.rule,
                    event.kind,
                    event.object_class,
                    event.observed_at,
                    event.lon,
                    event.lat,
                    event.evidence,
                ),
            )
        return 1
