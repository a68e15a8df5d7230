"""A briefing's kind and period: weekly (a Monday-to-Sunday week) or monthly, in local time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from briefings.errors import BadParameter
from indicators.periods import Period, parse

KINDS = {"weekly": "week", "monthly": "month"}
NAMES = {"weekly": ("tuần", "week"), "monthly": ("tháng", "month")}
EXAMPLES = {"weekly": "2026-W09", "monthly": "2026-02"}


def local_zone() -> ZoneInfo:
    """The platform's time zone (Asia/Ho_Chi_Minh): periods begin at local midnight."""
    return ZoneInfo(settings.TIME_ZONE)


def check_kind(kind: str) -> str:
    """`kind` itself if it is a kind of briefing; else 400 naming it."""
    if kind not in KINDS:
        raise BadParameter(f"kind: «{kind}» không phải loại báo cáo ({', '.join(KINDS)})",
                           f"kind: {kind!r} is no kind of briefing ({', '.join(KINDS)})")
    return kind


def last_ended(kind: str, before: date) -> Period:
    """The last period of `kind` (a hub period kind) that ended on or before the day `before` begins."""
    period = Period.holding(kind, before - timedelta(days=1))
    return period if period.end <= before else Period.holding(kind, period.start - timedelta(days=1))


def period_of(kind: str, text: str | None, now: datetime) -> Period:
    """The briefing period named by `text` (a label or any day in it), or the last one ended by `now`."""
    check_kind(kind)
    if not text:
        return last_ended(KINDS[kind], now.astimezone(local_zone()).date())
    try:
        return parse(KINDS[kind], text)
    except ValueError:
        vi, en = NAMES[kind]
        raise BadParameter(
            f"period: «{text}» không phải một {vi} (ví dụ {EXAMPLES[kind]} hoặc một ngày trong {vi})",
            f"period: {text!r} names no {en} (e.g. {EXAMPLES[kind]} or a day in it)") from None


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first and exclusive last instant in local time."""
    zone = local_zone()
    return datetime.combine(period.start, time(), zone), datetime.combine(period.end, time(), zone)
