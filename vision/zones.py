"""Rules drawn in map coordinates per camera: counting lines, dwell zones, restricted zones.

Each rule reads one track's ground positions over time and says when something happened: a crossing
of a counting line (with its direction), a stay in a zone longer than N seconds, or an object of a
watched class entering a restricted zone. Each event fires once per track.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Point, Polygon


@dataclass(frozen=True)
class TrackPoint:
    seconds: float  # time of the frame, in seconds on any fixed clock
    lon: float
    lat: float


@dataclass(frozen=True)
class Event:
    kind: str  # crossing | dwell | intrusion
    rule: str
    track_id: int
    seconds: float
    direction: int = 0  # crossings: +1 from the line's left to its right, −1 the other way


def _side(line: LineString, point: TrackPoint) -> float:
    (x1, y1), (x2, y2) = line.coords[0], line.coords[-1]
    return (x2 - x1) * (point.lat - y1) - (y2 - y1) * (point.lon - x1)


@dataclass
class CountingLine:
    """Counts tracks crossing a line segment; +1 when crossing from its left side to its right."""

    name: str
    line: LineString

    def events(self, track_id: int, points: list[TrackPoint]) -> list[Event]:
        found = []
        for before, after in zip(points, points[1:], strict=False):
            step = LineString([(before.lon, before.lat), (after.lon, after.lat)])
            if step.length == 0 or not step.intersects(self.line):
                continue
            side_before, side_after = _side(self.line, before), _side(self.line, after)
            if side_before == 0 or side_before * side_after > 0:
                continue
            found.append(Event("crossing", self.name, track_id, after.seconds, 1 if side_before > 0 else -1))
        return found


@dataclass
class DwellZone:
    """Fires once when a track stays inside the zone longer than `seconds`."""

    name: str
    zone: Polygon
    seconds: float

    def events(self, track_id: int, points: list[TrackPoint]) -> list[Event]:
        entered = None
        for point in points:
            if self.zone.covers(Point(point.lon, point.lat)):
                entered = point.seconds if entered is None else entered
                if point.seconds - entered >= self.seconds:
                    return [Event("dwell", self.name, track_id, point.seconds)]
            else:
                entered = None
        return []


@dataclass
class RestrictedZone:
    """Fires once when a track of a watched class is first seen inside the zone."""

    name: str
    zone: Polygon
    classes: frozenset[str] = field(default_factory=lambda: frozenset({"person"}))

    def events(self, track_id: int, points: list[TrackPoint], object_class: str) -> list[Event]:
        if object_class not in self.classes:
            return []
        for point in points:
            if self.zone.covers(Point(point.lon, point.lat)):
                return [Event("intrusion", self.name, track_id, point.seconds)]
        return []
