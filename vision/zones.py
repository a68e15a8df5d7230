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


@dataclass
class RuleBook:
    """A camera's rules applied online, one ground point per track per frame; its state pickles.

    `observe` returns the events of this step: crossings (from the track's previous point), dwell
    and intrusions (once per track and rule). `clear_events` says when a restricted zone that held
    someone has been empty for `clear_after_s` seconds (its open incident can close).
    """

    lines: list[CountingLine] = field(default_factory=list)
    dwells: list[DwellZone] = field(default_factory=list)
    restricted: list[RestrictedZone] = field(default_factory=list)
    clear_after_s: float = 10.0
    last: dict[int, TrackPoint] = field(default_factory=dict)
    entered: dict[tuple[str, int], TrackPoint] = field(default_factory=dict)
    fired: set[tuple[str, int]] = field(default_factory=set)
    occupied_at: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.lines or self.dwells or self.restricted)

    def observe(self, track_id: int, object_class: str, point: TrackPoint) -> list[Event]:
        found: list[Event] = []
        before = self.last.get(track_id)
        self.last[track_id] = point
        if before is not None:
            for line in self.lines:
                found += line.events(track_id, [before, point])
        inside = Point(point.lon, point.lat)
        for zone in self.dwells:
            key = (zone.name, track_id)
            if not zone.zone.covers(inside):
                self.entered.pop(key, None)
                continue
            start = self.entered.setdefault(key, point)
            found += self._once(key, zone.events(track_id, [start, point]))
        for zone in self.restricted:
            if object_class in zone.classes and zone.zone.covers(inside):
                self.occupied_at[zone.name] = point.seconds
                found += self._once((zone.name, track_id), zone.events(track_id, [point], object_class))
        return found

    def _once(self, key: tuple[str, int], events: list[Event]) -> list[Event]:
        if not events or key in self.fired:
            return []
        self.fired.add(key)
        return events

    def clear_events(self, seconds: float) -> list[Event]:
        """Restricted zones empty for `clear_after_s` now (each reported once per occupation)."""
        cleared = [name for name, at in self.occupied_at.items() if seconds - at >= self.clear_after_s]
        for name in cleared:
            del self.occupied_at[name]
        return [Event("clear", name, 0, seconds) for name in cleared]

    def forget(self, track_ids: set[int]) -> None:
        """Drop the state of tracks that ended (keeps the state small on long streams)."""
        for track_id in track_ids:
            self.last.pop(track_id, None)
        self.entered = {k: v for k, v in self.entered.items() if k[1] not in track_ids}
        self.fired = {k for k in self.fired if k[1] not in track_ids}
