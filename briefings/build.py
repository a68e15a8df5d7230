"""What a briefing says, gathered once for the PDF, the XLSX and the e-mail: the key figures of an area for a
week or a month (citizen feedback, directives, incidents, the hub's indicators with plan and last year), the
same per commune for the map, the trends, and the overdue reports and directives listed.

Events belong to the area by their place (inside its boundary of the period's last day), so a report filed
before the 2025 reform counts for the new commune that now holds its spot. Overdue follows each layer's one
rule (layers.registry.Deadline) applied at the period's end, or now for a period not yet over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q, QuerySet
from django.utils import timezone

from briefings.errors import BadParameter, UnknownArea
from briefings.labels import either, text
from briefings.periods import bounds, check_kind, last_ended, local_zone, period_of
from directives.models import Directive
from indicators.errors import UnknownUnit
from indicators.figures import series
from indicators.org_units import OrgUnit, resolve
from indicators.periods import Period, between
from indicators.registry import registry as indicators
from layers.models import AdminUnit, CitizenReport, Incident
from layers.registry import Layer, registry

logger = logging.getLogger(__name__)
SERIOUS = ("high", "critical")
TREND_PERIODS = {"weekly": 8, "monthly": 12}
INDICATOR_TREND = 12  # periods of the charted indicator's cadence
FIGURES = {  # key: (Vietnamese, English) — the order of the documents
    "received": ("Phản ánh tiếp nhận trong kỳ", "Reports received"),
    "resolved": ("Phản ánh đã giải quyết trong kỳ", "Reports resolved"),
    "reports_overdue": ("Phản ánh quá hạn", "Reports overdue"),
    "directives_open": ("Chỉ đạo đang thực hiện", "Directives open"),
    "directives_overdue": ("Chỉ đạo quá hạn", "Directives overdue"),
    "incidents": ("Sự cố trong kỳ", "Incidents"),
    "incidents_serious": ("Sự cố mức cao, nghiêm trọng", "Serious incidents"),
}


@dataclass(frozen=True)
class Overdue:
    """An overdue report or directive as listed: code, title, commune, unit, deadline, days past it."""

    code: str
    title: str
    commune: str
    unit: str
    due: datetime
    days_late: int
    lon: float
    lat: float


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator of the hub for the last period of its cadence ended with the briefing's."""

    code: str
    name: str
    unit: str
    period: str
    actual: float | None
    ytd: float | None
    plan: float | None  # the year's plan
    pct_of_plan: float | None  # year to date against the year's plan
    last_year: float | None
    change_pct: float | None
    name_en: str
    unit_en: str

    def name_in(self, language: str) -> str:
        return either(language, self.name, self.name_en)

    def unit_in(self, language: str) -> str:
        return either(language, self.unit, self.unit_en)


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    geom: GEOSGeometry
    received: int
    resolved: int
    overdue: int


@dataclass(frozen=True)
class TrendPoint:
    label: str  # 'T09' (week 9), '02/2026'
    received: int
    resolved: int
    label_en: str  # 'W09', '02/2026'

    def label_in(self, language: str) -> str:
        return either(language, self.label, self.label_en)


@dataclass
class Briefing:
    kind: str  # weekly | monthly
    area: AdminUnit
    period: Period
    now: datetime
    as_of: datetime  # the period's end, or now
    figures: dict[str, int] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)
    communes: list[CommuneRow] = field(default_factory=list)
    neighbours: list[tuple[str, GEOSGeometry]] = field(default_factory=list)  # the map's context
    trend: list[TrendPoint] = field(default_factory=list)
    indicator_trend: tuple[IndicatorRow, list[dict]] | None = None
    reports_overdue: list[Overdue] = field(default_factory=list)
    directives_overdue: list[Overdue] = field(default_factory=list)

    def figure(self, key: str) -> int:
        return self.figures[key]

    @property
    def number(self) -> str:
        """'09/2026' (week 9) or '02/2026' (February)."""
        if self.kind == "weekly":
            year, week, _ = self.period.start.isocalendar()
            return f"{week:02d}/{year}"
        return f"{self.period.start:%m/%Y}"

    def name(self, language: str = "vi") -> str:
        """'Báo cáo tháng 02/2026'; in English 'Monthly briefing 02/2026'."""
        return text(f"name.{self.kind}", language, number=self.number)

    def title(self, language: str = "vi") -> str:
        """'BÁO CÁO TUẦN 09/2026 (23/02/2026 – 01/03/2026)', 'BÁO CÁO THÁNG 02/2026'; in English
        'WEEKLY BRIEFING 09/2026 (…)', 'MONTHLY BRIEFING 02/2026'."""
        title = self.name(language).upper()
        if self.kind == "weekly":
            last = self.period.end - timedelta(days=1)
            title += f" ({self.period.start:%d/%m/%Y} – {last:%d/%m/%Y})"
        return title

    @property
    def name_vi(self) -> str:
        return self.name("vi")

    @property
    def title_vi(self) -> str:
        return self.title("vi")

    def filename(self, extension: str) -> str:
        """'bao-cao-tuan-B15-2026-W09.pdf'."""
        slug = {"weekly": "bao-cao-tuan", "monthly": "bao-cao-thang"}[self.kind]
        return f"{slug}-{self.area.code}-{self.period.label}.{extension}"


def layer_of(model: type) -> Layer:
    """The layer declared for `model` (its workflow and overdue rule)."""
    return registry.for_model(model)[0]


def overdue_at(model: type, moment: datetime) -> Q:
    """The layer's one overdue rule at `moment`, for what is still open then."""
    layer = layer_of(model)
    deadline = layer.deadline
    return deadline.late(layer.workflow, moment) & Q(**{f"{deadline.done}__isnull": True})


def area_of(code: str, period: Period) -> AdminUnit:
    """The province or commune of `code` on the period's last day (indicators.org_units.resolve)."""
    try:
        unit: OrgUnit = resolve(code, period.end - timedelta(days=1))
    except UnknownUnit:
        unit = None
    if unit is None or unit.kind != "area":
        raise UnknownArea(f"area: không có địa bàn mã «{code}»", f"area: no area with code {code!r}")
    return AdminUnit.objects.get(pk=unit.id)


def communes_of(area: AdminUnit, day: date) -> list[AdminUnit]:
    """The communes of the area in force on `day` (itself for a commune), by code."""
    if area.level == "commune":
        return [area]
    units = AdminUnit.objects.valid_on(day).filter(level="commune")
    return list(units.filter(Q(parent=area) | Q(parent__parent=area)).order_by("code"))


def neighbours_of(area: AdminUnit, day: date) -> list[tuple[str, GEOSGeometry]]:
    """The units of the area's level in force on `day` that touch it: drawn grey around the map."""
    others = AdminUnit.objects.valid_on(day).filter(level=area.level, geom__intersects=area.geom)
    return [(unit.name, unit.geom) for unit in others.exclude(pk=area.pk).order_by("code")]


def _in(rows: QuerySet, geom: GEOSGeometry) -> QuerySet:
    return rows.filter(geom__within=geom)


def _during(rows: QuerySet, field_name: str, start: datetime, end: datetime) -> QuerySet:
    return rows.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _overdue_items(rows: QuerySet, due: str, as_of: datetime, communes: list[AdminUnit]) -> list[Overdue]:
    names = {c.pk: c.name for c in communes}
    found = []
    for row in rows.select_related("unit").order_by(due, "code"):
        ward = names.get(row.ward_id) or next((c.name for c in communes if c.geom.contains(row.geom)), "")
        deadline = getattr(row, due)
        unit = row.unit.name if row.unit else ""
        found.append(Overdue(row.code, row.title, ward, unit, deadline.astimezone(local_zone()),
                             (as_of - deadline).days, row.geom.x, row.geom.y))
    return found


def _feedback(briefing: Briefing, communes: list[AdminUnit], start: datetime, end: datetime) -> None:
    area, as_of = briefing.area.geom, briefing.as_of
    reports = CitizenReport.objects.all()
    late = reports.filter(overdue_at(CitizenReport, as_of), received_at__lt=as_of)
    briefing.figures["received"] = _during(_in(reports, area), "received_at", start, end).count()
    briefing.figures["resolved"] = _during(_in(reports, area), "resolved_at", start, end).count()
    briefing.reports_overdue = _overdue_items(_in(late, area), "due_at", as_of, communes)
    briefing.figures["reports_overdue"] = len(briefing.reports_overdue)
    briefing.communes = [
        CommuneRow(c.code, c.name, c.geom,
                   _during(_in(reports, c.geom), "received_at", start, end).count(),
                   _during(_in(reports, c.geom), "resolved_at", start, end).count(),
                   _in(late, c.geom).count())
        for c in communes
    ]


def _directives(briefing: Briefing, communes: list[AdminUnit]) -> None:
    as_of, layer = briefing.as_of, layer_of(Directive)
    issued = _in(Directive.objects.filter(issued_at__lt=as_of), briefing.area.geom)
    still_open = issued.exclude(**{f"{layer.workflow.field}__in": layer.workflow.closed})
    briefing.figures["directives_open"] = still_open.count()
    briefing.directives_overdue = _overdue_items(issued.filter(overdue_at(Directive, as_of)), "due_at", as_of,
                                                 communes)
    briefing.figures["directives_overdue"] = len(briefing.directives_overdue)


def _incidents(briefing: Briefing, start: datetime, end: datetime) -> None:
    incidents = _during(_in(Incident.objects.all(), briefing.area.geom), "reported_at", start, end)
    briefing.figures["incidents"] = incidents.count()
    briefing.figures["incidents_serious"] = incidents.filter(severity__in=SERIOUS).count()


def _indicators(briefing: Briefing) -> None:
    unit = OrgUnit.of_area(briefing.area)
    for indicator in indicators:
        if briefing.area.level not in indicator.levels:
            continue
        period = last_ended(indicator.cadence, briefing.period.end)
        (row,) = series(indicator, unit, period, period)
        year = Period("year", date(period.start.year, 1, 1))
        plan = series(indicator, unit, year, year)[0]["target"] if indicator.targets else None
        if row["actual"] is None and row["ytd"] is None and row["last_year"] is None:
            continue
        pct = 100.0 * row["ytd"] / plan if row["ytd"] is not None and plan else None
        briefing.indicators.append(IndicatorRow(
            indicator.code, indicator.name_vi, indicator.unit_vi, period.label, row["actual"], row["ytd"],
            plan, pct, row["last_year"], row["change_pct"], indicator.name_en, indicator.unit_en))
    charted = next((row for row in briefing.indicators if indicators.get(row.code).cadence == "month"), None)
    if charted is not None:
        indicator = indicators.get(charted.code)
        last = last_ended(indicator.cadence, briefing.period.end)
        first = Period.holding(indicator.cadence, last.start - timedelta(days=31 * (INDICATOR_TREND - 1)))
        briefing.indicator_trend = (charted, series(indicator, unit, first, last))


def _trend(briefing: Briefing) -> None:
    reports = _in(CitizenReport.objects.all(), briefing.area.geom)
    count = TREND_PERIODS[briefing.kind]
    first = briefing.period
    for _ in range(count - 1):
        first = Period.holding(first.kind, first.start - timedelta(days=1))
    for period in between(first, briefing.period):
        start, end = bounds(period)
        if period.kind == "week":
            week = period.start.isocalendar()[1]
            label, label_en = text("week", "vi", week=week), text("week", "en", week=week)
        else:
            label = label_en = f"{period.start:%m/%Y}"
        briefing.trend.append(TrendPoint(label, _during(reports, "received_at", start, end).count(),
                                         _during(reports, "resolved_at", start, end).count(), label_en))


def build(kind: str, area_code: str, period_text: str | None = None, *,
          now: datetime | None = None) -> Briefing:
    """The briefing of `kind` (weekly, monthly) for the area of `area_code` and the period named by
    `period_text` (default: the last one ended by `now`), as things stood at `now` (default: now)."""
    now = now or timezone.now()
    check_kind(kind)
    if not area_code:
        raise BadParameter("area: thiếu mã địa bàn (tỉnh hoặc xã, phường)",
                           "area: the area's code is missing")
    period = period_of(kind, period_text, now)
    start, end = bounds(period)
    area = area_of(area_code, period)
    briefing = Briefing(kind, area, period, now, min(now, end))
    last_day = period.end - timedelta(days=1)
    communes = communes_of(area, last_day)
    briefing.neighbours = neighbours_of(area, last_day)
    _feedback(briefing, communes, start, end)
    _directives(briefing, communes)
    _incidents(briefing, start, end)
    _indicators(briefing)
    _trend(briefing)
    briefing.figures = {key: briefing.figures[key] for key in FIGURES}
    return briefing
