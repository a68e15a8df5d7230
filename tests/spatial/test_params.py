"""Request parameters shared by the OGC API, tiles and the map's APIs."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from spatial.errors import BadRequest
from spatial.params import LOCAL_TZ, datetime_interval


def test_a_bare_date_covers_the_whole_local_day():
    start, end = datetime_interval("2026-11-24")
    assert start == datetime(2026, 11, 24, tzinfo=LOCAL_TZ)
    assert end == datetime.combine(datetime(2026, 11, 24), time.max, tzinfo=LOCAL_TZ)


def test_a_date_interval_includes_its_last_day():
    start, end = datetime_interval("2026-11-17/2026-11-24")
    assert (start.day, end.day, end.hour, end.minute) == (17, 24, 23, 59)


def test_date_times_keep_their_offset_and_open_ends_stay_open():
    start, end = datetime_interval("2026-11-17T08:00:00+07:00/..")
    assert start.isoformat() == "2026-11-17T08:00:00+07:00" and end is None


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "../..", "2026-11-24/2026-11-01"])
def test_bad_datetimes_are_refused_with_a_message(text):
    with pytest.raises(BadRequest, match="datetime"):
        datetime_interval(text)
