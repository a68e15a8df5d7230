"""Counting lines count each crossing once with its direction; zones fire once per track."""

from __future__ import annotations

from shapely.geometry import LineString, box

from vision.zones import CountingLine, DwellZone, RestrictedZone, TrackPoint

LINE = CountingLine("Cầu Yên Bái", LineString([(104.9100, 21.7100), (104.9100, 21.7110)]))  # south → north


def walk(points: list[tuple[float, float]], step_s: float = 1.0) -> list[TrackPoint]:
    return [TrackPoint(i * step_s, lon, lat) for i, (lon, lat) in enumerate(points)]


def test_crossing_left_to_right_counts_plus_one_and_back_minus_one():
    track = walk(
        [
            (104.9098, 21.7105),
            (104.9099, 21.7105),
            (104.9101, 21.7105),
            (104.9102, 21.7105),
            (104.9099, 21.7106),
        ]
    )
    events = LINE.events(7, track)
    assert [(e.kind, e.direction, e.seconds) for e in events] == [("crossing", 1, 2.0), ("crossing", -1, 4.0)]


def test_a_track_passing_beyond_the_segment_is_not_counted():
    assert LINE.events(8, walk([(104.9098, 21.7120), (104.9102, 21.7120)])) == []


def test_dwell_fires_once_after_the_threshold():
    zone = DwellZone("Cổng trường", box(104.9100, 21.7100, 104.9102, 21.7102), seconds=30)
    inside = [(104.9101, 21.7101)] * 40
    events = zone.events(3, walk(inside))
    assert [(e.kind, e.seconds) for e in events] == [("dwell", 30.0)]
    assert zone.events(4, walk(inside[:20])) == []


def test_restricted_zone_fires_for_watched_classes_only():
    zone = RestrictedZone("Kho xăng", box(104.9100, 21.7100, 104.9102, 21.7102))
    track = walk([(104.9099, 21.7099), (104.9101, 21.7101), (104.9101, 21.7101)])
    assert [(e.kind, e.seconds) for e in zone.events(5, track, "person")] == [("intrusion", 1.0)]
    assert zone.events(6, track, "car") == []
