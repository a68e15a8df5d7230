"""Data entry of a unit's report of one period: which figures its form holds (from the registry's
`reporter`, `levels` and cadence), who may enter and approve them, saving typed values through the
validation rules and indicators.recording, and the submit → approve / return moves with their history.

The web form and the XLSX upload both call `enter` and `move`; nothing else writes a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from indicators.errors import BadParameter
from indicators.models import (
    COUNTED_STATUSES,
    VALUE_STATUS_OF_REPORT,
    AgencyPlacement,
    IndicatorValue,
    PeriodReport,
    Target,
)
from indicators.org_units import OrgUnit
from indicators.periods import KINDS, Period, parse
from indicators.recording import record
from indicators.registry import AREA_REPORTER, Indicator, registry
from indicators.validation import EntryRefused, Typed, validate
from layers.models import ResponsibleUnit
from spatial.access import Viewer
from spatial.errors import Forbidden, NotAuthenticated
from spatial.roles import LEADER

APPROVER_ROLES = frozenset({LEADER.code})  # and administrators
STATUS_NAMES = {
    "new": ("Chưa nhập", "Not started"),
    "draft": ("Nháp", "Draft"),
    "submitted": ("Đã nộp, chờ duyệt", "Submitted, awaiting approval"),
    "approved": ("Đã duyệt", "Approved"),
    "returned": ("Bị trả lại", "Returned"),
}
MOVES = {"submit": "submit", "approve": "approve", "return": "send_back"}
EDITABLE = ("draft", "returned")


def period_of(text: str) -> Period:
    """The period a label names, its kind read from the label: 2026, 2026-Q3, 2026-10, 2026-W05."""
    text = text.strip()
    kind = (
        "year"
        if len(text) == 4
        else "quarter"
        if "-Q" in text
        else "week"
        if "-W" in text
        else "month"
        if len(text) == 7
        else "day"
    )
    try:
        return parse(kind, text)
    except ValueError:
        raise BadParameter(
            f"period: «{text}» không phải một kỳ (ví dụ 2026, 2026-Q3, 2026-10)",
            f"period: {text!r} names no period (e.g. 2026, 2026-Q3, 2026-10)",
        ) from None


@dataclass(frozen=True)
class Row:
    """One figure of a form: the indicator, the unit its value is stored for (the form's unit, or for an
    agency reporting an area's figure the area it is placed under), the value stored, last period's
    value and the period's target (or the year's)."""

    indicator: Indicator
    holder: OrgUnit
    value: float | None
    status: str | None
    previous: float | None
    target: float | None
    target_label: str


def _placed_under(unit: OrgUnit, period: Period):
    day = period.end - timedelta(days=1)
    found = (
        AgencyPlacement.objects.filter(
            Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day), agency_id=unit.id
        )
        .select_related("parent")
        .first()
    )
    return OrgUnit.of_area(found.parent) if found else None


def _holder(indicator: Indicator, unit: OrgUnit, period: Period) -> OrgUnit | None:
    if indicator.reporter == AREA_REPORTER:
        return unit if unit.level in indicator.levels else None
    if unit.kind != "agency" or indicator.reporter != unit.code:
        return None
    parent = _placed_under(unit, period)
    return parent if parent is not None and parent.level in indicator.levels else None


def _of(model, indicator: Indicator, holder: OrgUnit, period: Period):
    return model.objects.filter(
        indicator=indicator.code,
        area_id=holder.area_id,
        agency_id=holder.agency_id,
        period_kind=period.kind,
        period_start=period.start,
    ).first()


def _target(indicator: Indicator, holder: OrgUnit, period: Period) -> tuple[float | None, str]:
    for kind in KINDS[KINDS.index(period.kind) :]:
        if kind == "week" and period.kind != "week":
            continue
        found = _of(Target, indicator, holder, Period.holding(kind, period.start))
        if found is not None:
            return found.value, Period.holding(kind, period.start).label
    return None, ""


def rows(unit: OrgUnit, period: Period) -> list[Row]:
    """The figures `unit` reports for `period` (indicators of that cadence), in the catalogue's order."""
    found = []
    before = Period.holding(period.kind, period.start - timedelta(days=1))
    for indicator in registry:
        if indicator.cadence != period.kind or (holder := _holder(indicator, unit, period)) is None:
            continue
        value, previous = (
            _of(IndicatorValue, indicator, holder, period),
            _of(IndicatorValue, indicator, holder, before),
        )
        target, label = _target(indicator, holder, period)
        found.append(
            Row(
                indicator,
                holder,
                value.value if value else None,
                value.status if value else None,
                previous.value if previous else None,
                target,
                label,
            )
        )
    return found


# -- who may do what ----------------------------------------------------------------------------------


def _signed_in(viewer: Viewer) -> None:
    if viewer.is_anonymous:
        raise NotAuthenticated("cần đăng nhập để báo cáo số liệu", "sign in to report figures")


def may_approve(viewer: Viewer) -> bool:
    """Leaders and administrators approve or return a unit's report."""
    return viewer.is_admin or bool(viewer.roles & APPROVER_ROLES)


def may_enter(viewer: Viewer, unit: OrgUnit) -> bool:
    """A unit's own staff (spatial.UnitAssignment: an agency's, or for an area the people's committee's
    serving it) and administrators enter its figures."""
    if viewer.is_admin:
        return True
    if unit.kind == "agency":
        return unit.id in viewer.unit_ids
    return ResponsibleUnit.objects.filter(pk__in=viewer.unit_ids, unit_kind="commune", wards=unit.id).exists()


def check_may_enter(viewer: Viewer, unit: OrgUnit) -> None:
    """401 for no one signed in, 403 for who may not enter the unit's figures."""
    _signed_in(viewer)
    if not may_enter(viewer, unit):
        raise Forbidden(
            f"chỉ cán bộ của {unit.name} được nhập số liệu của đơn vị này",
            f"only the staff of {unit.name_en or unit.name} enter its figures",
        )


def check_may_read(viewer: Viewer, unit: OrgUnit) -> None:
    """401, or 403 for who neither enters the unit's figures nor approves them."""
    _signed_in(viewer)
    if not (may_enter(viewer, unit) or may_approve(viewer)):
        raise Forbidden(
            f"chỉ cán bộ của {unit.name} và lãnh đạo xem báo cáo này",
            f"only the staff of {unit.name_en or unit.name} and leaders see this report",
        )


# -- the report and its moves ---------------------------------------------------------------------------


def report_of(unit: OrgUnit, period: Period) -> PeriodReport | None:
    """The unit's report of `period`, None before anything was saved."""
    return PeriodReport.objects.filter(
        area_id=unit.area_id, agency_id=unit.agency_id, period_kind=period.kind, period_start=period.start
    ).first()


def _values(unit: OrgUnit, period: Period):
    query = Q(pk__in=[])
    for row in rows(unit, period):
        query |= Q(indicator=row.indicator.code, area_id=row.holder.area_id, agency_id=row.holder.agency_id)
    return IndicatorValue.objects.filter(query, period_kind=period.kind, period_start=period.start)


def _stored_wholes(row: Row, period: Period) -> tuple[tuple[str, float], ...]:
    found = []
    for whole in row.indicator.at_most:
        value = _of(IndicatorValue, registry.get(whole), row.holder, period)
        if value is not None:
            found.append((whole, value.value))
    return tuple(found)


def enter(
    unit: OrgUnit,
    period: Period,
    typed: dict[str, tuple[object, str]],
    *,
    by,
    source: str,
    confirm: bool = False,
    complete: bool = False,
) -> PeriodReport:
    """Check and save the values `typed` (indicator code → (what was typed, where)) as the unit's draft
    of `period`; EntryRefused naming each place when a rule is broken or a jump is not confirmed."""
    form = {row.indicator.code: row for row in rows(unit, period)}
    unknown = [where for code, (_raw, where) in typed.items() if code not in form]
    if unknown:
        raise BadParameter(
            f"{unknown[0]}: chỉ tiêu không có trong báo cáo của {unit.name} kỳ {period.label}",
            f"{unknown[0]}: no such figure in {unit.code}'s report of {period.label}",
        )
    report = report_of(unit, period)
    if report is not None and report.status not in EDITABLE:
        vi, en = STATUS_NAMES[report.status]
        raise BadParameter(
            f"period: báo cáo kỳ {period.label} của {unit.name} {vi.lower()}, không sửa được",
            f"period: {unit.code}'s report of {period.label} is {en.lower()}: it cannot change",
        )
    entries = [
        Typed(form[code].indicator, raw, where, form[code].previous, _stored_wholes(form[code], period))
        for code, (raw, where) in typed.items()
    ]
    if complete:  # a report submitted holds every figure, stored before or typed now
        entries += [
            Typed(row.indicator, row.value, f"value-{code}")
            for code, row in form.items()
            if code not in typed
        ]
    values, problems = validate(entries, period, complete=complete)
    errors = [p for p in problems if p.severity == "error"]
    if errors or (problems and not confirm):
        raise EntryRefused(errors or problems)
    with transaction.atomic():
        if report is None:
            report = PeriodReport.objects.create(
                area_id=unit.area_id,
                agency_id=unit.agency_id,
                period_kind=period.kind,
                period_start=period.start,
            )
        for code, value in values.items():
            if code in typed:
                record(
                    form[code].indicator,
                    form[code].holder,
                    period,
                    value,
                    by=by,
                    status="draft",
                    source=source,
                )
    return report


def move(
    unit: OrgUnit, period: Period, action: str, *, viewer: Viewer, by, comment: str = ""
) -> PeriodReport:
    """Run `action` (submit, approve, return) on the unit's report of `period`, logging who and the
    comment; the values take the report's status (submitted: reported, at this time)."""
    name = MOVES.get(action)
    if name is None:
        raise BadParameter(
            f"action: «{action}» không phải thao tác (save, submit, approve, return)",
            f"action: {action!r} is no action (save, submit, approve, return)",
        )
    _signed_in(viewer)
    if action == "submit":
        check_may_enter(viewer, unit)
    elif not may_approve(viewer):
        raise Forbidden(
            "chỉ lãnh đạo hoặc quản trị duyệt hay trả lại báo cáo",
            "only leaders and administrators approve or return a report",
        )
    comment = comment.strip()
    if action == "return" and not comment:
        raise BadParameter(
            "comment: hãy ghi lý do trả lại báo cáo", "comment: say why the report is returned"
        )
    if action == "submit":  # a report sent holds every figure ("Đủ")
        stored = [
            Typed(row.indicator, row.value, f"value-{row.indicator.code}") for row in rows(unit, period)
        ]
        if errors := [p for p in validate(stored, period, complete=True)[1] if p.severity == "error"]:
            raise EntryRefused(errors)
    report = report_of(unit, period)
    step = getattr(report, name, None)
    if report is None or not can_proceed(step):
        vi, en = STATUS_NAMES[report.status if report else "new"]
        raise BadParameter(
            f"action: báo cáo kỳ {period.label} của {unit.name} đang «{vi}», không {action} được",
            f"action: {unit.code}'s report of {period.label} is {en.lower()}: it cannot {action}",
        )
    with transaction.atomic():
        step(by=by, description=comment or None)
        report.save()
        status = VALUE_STATUS_OF_REPORT[report.status]
        changes = {"status": status, **({"reported_at": timezone.now()} if action == "submit" else {})}
        _values(unit, period).update(**changes)
    return report


def act(
    unit: OrgUnit,
    period: Period,
    action: str,
    *,
    viewer: Viewer,
    by,
    typed: dict[str, tuple[object, str]] | None = None,
    confirm: bool = False,
    comment: str = "",
    source: str = "form",
) -> PeriodReport | None:
    """What a form or an API client asks: save (the typed values as a draft) or submit (them, then the
    move: the unit's staff), approve or return (leaders); the report as it is after."""
    typed = typed or {}
    if action in ("save", "submit"):
        check_may_enter(viewer, unit)
        if typed or action == "save":
            enter(unit, period, typed, by=by, source=source, confirm=confirm, complete=action == "submit")
        if action == "save":
            return report_of(unit, period)
    return move(unit, period, action, viewer=viewer, by=by, comment=comment)


def history(report: PeriodReport | None) -> list[dict]:
    """The moves of a report, oldest first: state reached, by whom, when, the comment."""
    if report is None:
        return []
    steps = StateLog.objects.for_(report).select_related("by").order_by("timestamp", "pk")
    return [
        {
            "state": step.state,
            "transition": step.transition,
            "by": step.by.get_username() if step.by else "",
            "at": timezone.localtime(step.timestamp).isoformat(),
            "comment": step.description or "",
        }
        for step in steps
    ]


def counted(unit: OrgUnit, period: Period) -> int:
    """How many of the unit's values of `period` the figures count."""
    return _values(unit, period).filter(status__in=COUNTED_STATUSES).count()
