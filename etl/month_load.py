"""Detections for months the platform holds none of yet (a camera's archive, a backlog): each month
is filled as a bare table by COPY and then attached as the month's partition, so PostgreSQL builds
every index in one pass over the rows instead of updating five indexes row by row (the cost of an
insert into the detections; docs/benchmarks.md, bench/import). Same rows, ids, checks, refusals
(the COPY maps a refused line to its file row) and announcements (tile notices, live feed) as a
plain insert; a month that already has a partition, even an empty one, and a file whose rows repeat
a key, take the plain insert. Ids follow the months, then the file's order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd

from etl import writer
from layers import partitions

TIME = "observed_at"  # the detections' partition key


def _months(frame: pd.DataFrame) -> np.ndarray:
    """Each row's month in local time (the partitions' bounds), as numpy months (datetime64[M])."""
    local = pd.to_datetime(frame[TIME], utc=True).dt.tz_convert(partitions.LOCAL).dt.tz_localize(None)
    return local.to_numpy().astype("datetime64[M]")


def _repeats(frame: pd.DataFrame) -> bool:
    """Whether two rows share a unique key of the detections (camera, time, track): the plain insert
    then names the second one's row; built at the attach, the index could only name the key."""
    for key in partitions.unique_keys():
        if set(key) <= set(frame.columns):
            rows = frame[key].dropna()  # (NULLs never clash in a unique index)
            if rows.duplicated().any():
                return True
    return False


def applies(frame: pd.DataFrame, mode: str) -> bool:
    """Whether the rows can go in as new months: an append whose every month has no partition yet."""
    if mode != "append" or not len(frame) or TIME not in frame or frame[TIME].isna().any():
        return False
    times = pd.to_datetime(frame[TIME], utc=True)
    wanted = partitions.months(times.min().to_pydatetime(), times.max().to_pydatetime())
    if partitions.missing(wanted) != wanted or _repeats(frame):
        return False
    partitions.hold_partitioning()  # (a camera's first row of a month would otherwise race the attach)
    return partitions.missing(wanted) == wanted


def copy_months(frame: pd.DataFrame, row_numbers: list[int],
                progress: Callable[[int], None] | None = None) -> int:
    """COPY the rows (columns = the detections' columns) month by month into bare tables, then attach
    each as its month's partition; returns the rows written."""
    months = _months(frame)
    numbers = np.asarray(row_numbers)
    written = 0
    starts = []
    for month in np.unique(months):
        rows = months == month
        year, number = (int(part) for part in str(month).split("-"))
        start = datetime(year, number, 1, tzinfo=partitions.LOCAL)
        table = partitions.bare_month(start)
        done = written
        written += writer.copy_rows(table, frame.loc[rows], numbers[rows].tolist(),
                                    (lambda n, d=done: progress(d + n)) if progress else None)
        partitions.attach_month(start)
        starts.append(start)
    partitions.announce_months(starts)
    return written
