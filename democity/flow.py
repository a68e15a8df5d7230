"""A steady synthetic flow of citizen reports while the demo runs, so that the wall stays alive.

As the cameras play their synthetic video while the demo runs (`ioc vision demo`), `ioc feedback_flow`
files a new report every few seconds through feedback.intake.file_report, the path of the public page,
Open311 and the hotline desk, so that its deadline, likely duplicate, live-feed notice and
notifications come as for any report. It stands at a plausible point of a commune in force (on a
street for road matters, in a house or an office parcel otherwise) and reads like the generated ones
(democity.reports' phrase book). Each tick also moves some of the flow's own open reports one step on
(assign to the unit routing gives, start, ask the citizen, resolve or reject with a public text from
democity.responses), as the demo's officer, so that status changes reach the wall too.

The flow never touches a report it did not file: its reports are those filed from its client address
(their feedback.Submission carries its digest), so a report an operator files during a demo is left to
the operator. The same seed on the same database gives the same reports and moves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.contrib.gis.geos import Point
from django.db import DatabaseError, connection, transaction

from democity import reports
from democity.histories import MOVES, demo_officer
from democity.names import street_address_name
from democity.people import full_names, phones, sexes
from democity.responses import text_for
from democity.rng import choose, stream
from feedback.intake import IntakeError, file_report
from feedback.models import Submission
from feedback.routing import route
from layers.models import CitizenReport, Parcel, Road

logger = logging.getLogger(__name__)

ADDRESS = "democity.flow"  # the client address the flow files from (only its digest is stored)
CHANNELS = {name: share for name, share in reports.CHANNELS.items() if name != "in_person"}
CATEGORY_SHARES = {category: share for category, (share, _where, _days) in reports.CATEGORIES.items()}
ROAD_CLASSES = ("national", "urban_main", "urban")
PARCEL_USES = {"house": ("ODT", "ONT", "TMD", "CLN"), "office": ("TSC",)}
PLACE_TRIES = 10  # draws of a point before giving up on a tick's report (a road may leave the city)
CONTACT_SHARE = 0.5  # reporters who leave a name and phone number (never an e-mail: nothing is mailed)
# an open report's next step: (move, weight)
NEXT = {
    "received": (("assign", 1.0),),
    "assigned": (("start", 0.9), ("reject", 0.1)),
    "in_progress": (("resolve", 0.8), ("ask_citizen", 0.12), ("reject", 0.08)),
    "waiting": (("citizen_replied", 1.0),),
}


@dataclass(frozen=True)
class FlowSettings:
    """How the flow runs: a tick every `every` seconds; in each, every open report of the flow moves
    one step with chance `move_chance`, at most `max_moves` of them."""

    every: float = 20.0
    seed: int = 0
    move_chance: float = 0.35
    max_moves: int = 3

    def __post_init__(self) -> None:
        if self.every <= 0 or not 0 <= self.move_chance <= 1 or self.max_moves < 0:
            raise ValueError("every > 0, 0 <= move_chance <= 1 and max_moves >= 0")


@dataclass
class Tick:
    """What one tick did: the report filed (None if no point was found) and the moves (code, move)."""

    number: int
    filed: CitizenReport | None = None
    moves: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        filed = (f"{self.filed.code} received ({self.filed.channel}, {self.filed.category})" if self.filed
                 else "no report")
        moves = "".join(f"; {code} {move}" for code, move in self.moves)
        return f"tick {self.number}: {filed}{moves}"


class Places:
    """Plausible points of the demo city: its named streets and its parcels by use (ids read once)."""

    def __init__(self) -> None:
        self.roads = list(Road.objects.filter(road_class__in=ROAD_CLASSES).exclude(name="")
                          .order_by("pk").values_list("pk", flat=True))
        self.parcels = {kind: list(Parcel.objects.filter(land_use__in=uses).exclude(address="")
                                   .order_by("pk").values_list("pk", flat=True))
                        for kind, uses in PARCEL_USES.items()}

    def draw(self, rng: np.random.Generator, where: str) -> tuple[Point, str]:
        """A point and how a title names it, for a report made on a road, in a house or an office."""
        if where == "road":
            road = Road.objects.get(pk=self.roads[int(rng.integers(len(self.roads)))])
            parts = list(road.geom) if road.geom.geom_type.startswith("Multi") else [road.geom]
            line = parts[int(rng.integers(len(parts)))]
            return line.interpolate_normalized(float(rng.uniform(0.05, 0.95))), street_address_name(road.name)
        ids = self.parcels[where]
        parcel = Parcel.objects.get(pk=ids[int(rng.integers(len(ids)))])
        return parcel.geom.point_on_surface, reports.place_of(parcel.address)


class Flow:
    """The steady flow: `tick()` once, or `run()` until stopped."""

    def __init__(self, settings: FlowSettings) -> None:
        self.settings = settings
        self.rng = stream(settings.seed, "feedback-flow")
        self._places: Places | None = None
        self._digest: str | None = None

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places()
        return self._places

    def tick(self, number: int = 1) -> Tick:
        """File one report, then move some of the flow's open reports one step."""
        tick = Tick(number, filed=self.file())
        tick.moves = self.move()
        return tick

    def file(self) -> CitizenReport | None:
        """A new report through the intake, as a citizen would send it (None: no point inside the city)."""
        rng = self.rng
        category = str(choose(rng, CATEGORY_SHARES, 1)[0])
        channel = str(choose(rng, CHANNELS, 1)[0])
        contact = self._contact()
        for _ in range(PLACE_TRIES):
            point, place = self.places.draw(rng, reports.CATEGORIES[category][1])
            title = reports.title_of(rng, category, place)
            try:
                report = file_report(category=category, title=title, lon=point.x, lat=point.y,
                                     address=ADDRESS, description=reports.description_of(title),
                                     channel=channel, contact=contact, limited=False)
            except IntakeError as error:
                if not str(error).startswith("location"):
                    raise
                continue
            if self._digest is None:
                self._digest = Submission.objects.filter(report=report).values_list("address_digest",
                                                                                    flat=True).first()
            return report
        logger.warning("feedback flow: no point inside the city in %d draws", PLACE_TRIES)
        return None

    def _contact(self) -> dict[str, str]:
        sex = sexes(self.rng, 1)
        name, phone, leaves = full_names(self.rng, sex)[0], phones(self.rng, 1)[0], self.rng.random()
        return {"full_name": str(name), "phone": str(phone)} if leaves < CONTACT_SHARE else {}

    def own_open(self) -> list[int]:
        """Ids of the flow's open reports, oldest first (none before it has filed one)."""
        if self._digest is None:
            return []
        filed = Submission.objects.filter(address_digest=self._digest).values("report_id")
        return list(CitizenReport.objects.filter(pk__in=filed, status__in=NEXT).order_by("pk")
                    .values_list("pk", flat=True))

    def move(self) -> list[tuple[str, str]]:
        """Move some of the flow's open reports one step; the moves made, as (code, move)."""
        chosen = [pk for pk in self.own_open() if self.rng.random() < self.settings.move_chance]
        moves = []
        for pk in chosen[: self.settings.max_moves]:
            done = self._step(pk)
            if done:
                moves.append(done)
        return moves

    @transaction.atomic
    def _step(self, pk: int) -> tuple[str, str] | None:
        report = CitizenReport.objects.select_for_update().get(pk=pk)
        steps = NEXT.get(report.status)
        if not steps:
            return None  # an operator closed it meanwhile
        names = [name for name, _weight in steps]
        weights = np.array([weight for _name, weight in steps])
        name = names[int(self.rng.choice(len(names), p=weights / weights.sum()))]
        arguments: dict = {}
        if name == "assign":
            arguments["unit"] = route(report.category, report.ward_id)
            if arguments["unit"] is None:
                return None  # no unit serves it: left to an operator
        if MOVES[name].text:  # the argument that carries the move's public text
            arguments[MOVES[name].text] = text_for(self.rng, name, report.category)
        getattr(report, name)(by=demo_officer(), **arguments)
        report.save()
        return report.code, name

    def run(self, stop: threading.Event, ticks: int | None = None,
            on_tick: Callable[[Tick], None] | None = None) -> int:
        """Tick every `every` seconds until `stop` is set (or `ticks` ticks); the number of ticks. A
        database error ends a tick, not the flow (the connection is opened again next tick)."""
        done = 0
        while not stop.is_set() and (ticks is None or done < ticks):
            done += 1
            try:
                tick = self.tick(done)
            except DatabaseError as error:
                logger.warning("feedback flow: tick %d failed: %s", done, error)
                connection.close()
                tick = Tick(done)
            if on_tick is not None:
                on_tick(tick)
            if ticks is None or done < ticks:
                stop.wait(self.settings.every)
        return done
