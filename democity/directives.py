"""The demo city's leaders' directives in flight: a dozen directives of the last weeks before the demo's
'today', to the ward committees, the departments, the police and the water company, in every state
(issued, acknowledged, in progress, late, done on time and late, cancelled), one of them a batch to three
ward committees. The layer's `demo` hook (`directives`) gives the rows the importer loads; after the
load, `write_histories` gives each the django-fsm-log history its status implies, by the demo's leader
(`demo.lanhdao`, issuing and cancelling) and the units' demo officer (`demo.canbo`).

Everything is a fixed table read relative to the demo's 'today' (its window's end E, 00:00 local), so the
same 'today' gives the same directives and the same histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import shapely
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from democity.frame import TZ
from democity.histories import demo_officer
from democity.layers import Context
from directives.models import Directive
from directives.vocabularies import MOVES_BY_NAME

DEMO_LEADER = "demo.lanhdao"  # issues and cancels the demo's directives (no password: nobody signs in)


def committee(commune: str) -> str:
    """The code of a commune's people's committee among the demo's units (democity.units)."""
    return f"UBND-{commune}"


@dataclass(frozen=True)
class Step:
    """A move of a demo directive, `days` after E (negative: before), with its text."""

    move: str
    days: float
    note: str = ""


@dataclass(frozen=True)
class Demo:
    """One demo directive: to whom, what, when (days from E), how urgent, where, and its steps."""

    unit: str  # a unit's code, or a commune's code for its committee ("04303")
    title: str
    text: str
    issued: float
    due: float
    steps: tuple[Step, ...] = ()
    priority: str = "normal"
    # placed at (and linked to) the latest report of this (category, title beginning) received before it, in
    # the committee's commune or anywhere for the others; else inside the unit's commune
    report_about: tuple[str, str] | None = None


DRAINS = ("Kiểm tra, khơi thông hệ thống thoát nước trước đợt mưa lớn",
          "Rà soát toàn bộ cống, rãnh thoát nước trên địa bàn; khơi thông các điểm ùn tắc, báo cáo kết quả "
          "về Trung tâm điều hành trước thời hạn.")
BATCHES: tuple[tuple[Demo, ...], ...] = (
    tuple(Demo(unit, *DRAINS, issued=-6.5, due=2.7, steps=steps, priority="urgent") for unit, steps in (
        ("04300", (Step("acknowledge", -6.4, "Đã nhận, giao tổ dân phố triển khai."),
                   Step("progress", -3.1, "Đã khơi thông 12/20 điểm; còn 8 điểm trên đường Điện Biên."))),
        ("04303", (Step("acknowledge", -5.3, "Đã tiếp nhận."),)),
        ("04306", ()),
    )),
    (Demo("SXD", "Rà soát công trình xây dựng không phép trên địa bàn",
          "Kiểm tra, lập biên bản và xử lý dứt điểm các công trình xây dựng không phép theo phản ánh của "
          "người dân.",
          issued=-20.4, due=-3.3, report_about=("land", "Xây dựng không phép"),
          steps=(Step("acknowledge", -19.6, "Đã tiếp nhận, thành lập tổ kiểm tra."),
                 Step("progress", -12.2, "Đã kiểm tra 5 công trình, lập biên bản 3 trường hợp."))),),
    (Demo("04303", "Xử lý dứt điểm rác thải tồn đọng", "Thu gom, vận chuyển rác thải tồn đọng và có biện "
          "pháp ngăn chặn việc đổ rác không đúng nơi quy định.", issued=-12.6, due=-5.3,
          report_about=("environment", "Rác thải tồn đọng"),
          steps=(Step("acknowledge", -12.5, "Đã nhận chỉ đạo."),
                 Step("progress", -9.2, "Đã thu gom 70 % khối lượng rác."),
                 Step("done", -6.1, "Đã thu gom hết, đặt biển cấm đổ rác và giao tổ dân phố giám sát."))),),
    (Demo("CA", "Tăng cường tuần tra, bảo đảm trật tự công cộng", "Bố trí lực lượng tuần tra vào buổi tối, "
          "xử lý nghiêm các trường hợp gây mất trật tự theo phản ánh.", issued=-9.3, due=-2.3,
          priority="urgent", report_about=("public_order", "Hát karaoke"),
          steps=(Step("acknowledge", -9.2, "Đã tiếp nhận."),
                 Step("progress", -5.4, "Đã tổ chức 4 ca tuần tra."),
                 Step("done", -1.6, "Đã xử lý 3 trường hợp, duy trì tuần tra thường xuyên."))),),
    (Demo("CTN", "Khắc phục nước thải chảy tràn ra đường", "Khẩn trương thông tắc hệ thống thoát nước, xử lý "
          "dứt điểm nước thải chảy tràn, bảo đảm đi lại cho người dân.", issued=-1.4, due=1.3,
          priority="very_urgent", report_about=("environment", "Nước thải chảy tràn"),
          steps=(Step("acknowledge", -1.35, "Đã cử đội xử lý."),)),),
    (Demo("SNNMT", "Kiểm tra nguồn gây khói bụi, ô nhiễm", "Kiểm tra, xác định nguồn gây ô nhiễm và xử lý "
          "theo quy định; báo cáo kết quả.", issued=-15.5, due=-8.3, report_about=("environment", "Khói bụi"),
          steps=(Step("acknowledge", -14.6, "Đã tiếp nhận."),)),),
    (Demo("04309", "Báo cáo tình hình sạt lở đất sau mưa", "Rà soát các điểm có nguy cơ sạt lở, báo cáo số "
          "hộ cần di dời.", issued=-10.3, due=-4.3,
          steps=(Step("cancel", -7.4, "Đã giao Sở Nông nghiệp và Môi trường tổng hợp chung."),)),),
    (Demo("04303", "Kiểm tra an toàn cây xanh trước mùa mưa bão", "Rà soát, cắt tỉa cây xanh có nguy cơ gãy "
          "đổ trên các tuyến phố.", issued=-0.6, due=5.3),),
    (Demo("TTPVHCC", "Giảm hồ sơ trễ hạn tại bộ phận một cửa", "Rà soát các hồ sơ quá hạn, xin lỗi người dân "
          "và khắc phục.", issued=-30.4, due=-10.3, report_about=("administrative", "Chậm giải quyết hồ sơ"),
          steps=(Step("acknowledge", -30.2, "Đã tiếp nhận."),
                 Step("done", -11.2, "Đã giải quyết 42/42 hồ sơ trễ hạn, gửi thư xin lỗi người dân."))),),
)


def _moment(end: datetime, days: float) -> datetime:
    return end + timedelta(days=days)


def _end(today: date) -> datetime:
    return datetime.combine(today, time(0), TZ)


def _unit_code(demo: Demo) -> str:
    return committee(demo.unit) if demo.unit.isdigit() else demo.unit


def _commune_shape(ctx: Context, code: str | None) -> object:
    """The shape (city frame) of a commune in force, the first one without a code."""
    communes = ctx.city.admin[(ctx.city.admin["level"] == "commune") & ctx.city.admin["valid_to"].isna()]
    return communes[communes["code"] == code]["geometry"].iloc[0] if code else communes["geometry"].iloc[0]


def _place(ctx: Context, demo: Demo, issued: datetime, reports: pd.DataFrame) -> tuple[object, str | None]:
    """(the point in the city frame, the linked report's code or None): the latest report of the demo's
    category received before the directive (in the committee's commune), else inside the commune."""
    shape = _commune_shape(ctx, demo.unit if demo.unit.isdigit() else None)
    if demo.report_about:
        category, beginning = demo.report_about
        chosen = reports[(reports["category"] == category) & reports["title"].str.startswith(beginning)
                         & (reports["received_at"] < issued.isoformat())]
        if demo.unit.isdigit():
            chosen = chosen[shapely.contains(shape, chosen["geometry"].to_numpy())]
        if len(chosen):
            row = chosen.sort_values("received_at").iloc[-1]
            return row["geometry"], row["code"]
    return shapely.point_on_surface(shape), None


def _row(demo: Demo, code: str, batch: str, end: datetime, point: object, report: str | None) -> dict:
    at = {step.move: _moment(end, step.days) for step in demo.steps}
    status = MOVES_BY_NAME[demo.steps[-1].move].target if demo.steps else "issued"
    due = _moment(end, demo.due)
    late_open = status not in ("done", "cancelled") and due < end
    return {"code": code, "batch": batch, "unit_code": _unit_code(demo), "title": demo.title,
            "text": demo.text, "priority": demo.priority, "status": status,
            "issued_at": _moment(end, demo.issued).isoformat(),
            "due_at": due.isoformat(), "acknowledged_at": _iso(at.get("acknowledge")),
            "done_at": _iso(at.get("done")), "escalated_at": due.isoformat() if late_open else None,
            "report_code": report, "geometry": point}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _codes(today: date) -> list[tuple[str, list[str]]]:
    """Each batch's reference and its directives' codes, in BATCHES order."""
    end = _end(today)
    found = []
    for n, batch in enumerate(BATCHES, start=1):
        reference = f"CD-{_moment(end, batch[0].issued).date():%Y%m%d}-DM{n:02d}"
        found.append((reference, [f"{reference}-{k:02d}" for k in range(1, len(batch) + 1)]))
    return found


def directives(ctx: Context) -> pd.DataFrame:
    """The demo's directives as the importer loads them (geometry in the city frame)."""
    end, reports = _end(ctx.today), ctx.reports[0]
    rows = []
    for batch, (reference, codes) in zip(BATCHES, _codes(ctx.today), strict=True):
        for demo, code in zip(batch, codes, strict=True):
            place = _place(ctx, demo, _moment(end, demo.issued), reports)
            rows.append(_row(demo, code, reference, end, *place))
    return pd.DataFrame(rows)


def demo_leader():
    """The demo's issuing leader (created once; no password: nobody signs in as it)."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_LEADER, defaults={"first_name": "Lãnh đạo UBND tỉnh", "last_name": "(demo)"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def write_histories(today: date) -> int:
    """The demo directives' issuer and the history of each (its steps until the demo's 'today'); how many
    directives were given one."""
    end, leader, officer = _end(today), demo_leader(), demo_officer()
    kind = ContentType.objects.get_for_model(Directive)
    demos = {code: demo for batch, (_, codes) in zip(BATCHES, _codes(today), strict=True)
             for demo, code in zip(batch, codes, strict=True)}
    loaded = list(Directive.objects.filter(code__in=demos).order_by("code"))
    logs, status = [], {}
    for directive in loaded:
        status[directive.pk] = "issued"
        for step in demos[directive.code].steps:
            move = MOVES_BY_NAME[step.move]
            logs.append(StateLog(content_type=kind, object_id=directive.pk, transition=move.name,
                                 source_state=status[directive.pk], state=move.target,
                                 timestamp=_moment(end, step.days), description=step.note or None,
                                 by=leader if move.by == "leader" else officer))
            status[directive.pk] = move.target
    StateLog.objects.bulk_create(logs)
    Directive.objects.filter(pk__in=[d.pk for d in loaded]).update(issued_by=leader)
    return len(loaded)
