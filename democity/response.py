"""The demo city's incident response: police and fire and rescue stations (the layer's demo generator),
the SOPs of its incident categories (fire, flood, traffic accident, public order) and a few incidents
with their responses in flight, opened once the units exist (`load_response`, run by `ioc load_demo`).

Stations stand by the roads: the city's three police sites (the provincial and city police and one
ward's), a police post by the road nearest the middle of each commune in force, and three fire and
rescue stations on the national roads. The SOPs' texts, minutes and checklists are the demo's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import shapely
from shapely.ops import nearest_points

from democity.histories import demo_officer
from democity.layers import Context
from layers.models import AdminUnit, Incident, ResponsibleUnit
from response import road_graph
from response.incident_log import add_note
from response.models import IncidentResponse, Sop, SopStep
from response.opening import open_incident
from response.steps import complete_step

POLICE_SITES = ("Công an tỉnh Yên Bái", "Công an thành phố Yên Bái", "Công an phường Minh Tân")
FIRE_STATIONS = (  # name, the national road it stands on, the share of the road's length from its start
    ("Phòng Cảnh sát PCCC và CNCH – Công an tỉnh", "RD-0001", 0.45),
    ("Đội Cảnh sát PCCC và CNCH khu vực Văn Phú", "RD-0003", 0.3),
    ("Đội Cảnh sát PCCC và CNCH khu vực Âu Lâu", "RD-0003", 0.75),
)
SET_BACK_M = 12.0  # a station stands this far from the road's centre line
CODE_PREFIX = {"police": "CA", "fire": "PCCC"}
HOTLINE = {"police": "113", "fire": "114"}  # the national emergency numbers


def _commune_of(city_admin: pd.DataFrame, point: shapely.Point) -> str:
    current = city_admin[(city_admin.level == "commune") & city_admin.valid_to.isna()]
    inside = current[shapely.covers(current.geometry.to_numpy(), point)]
    if inside.empty:
        raise ValueError(f"the demo station at {point.wkt} lies outside every commune in force")
    return str(inside.code.iloc[0])


def _by_road(roads: pd.DataFrame, point: shapely.Point) -> tuple[shapely.Point, str]:
    """A point set back from the road nearest `point`, beside its nearest point; and the road's name."""
    lines = roads.geometry.to_numpy()
    index = int(shapely.distance(lines, point).argmin())
    on_road = nearest_points(lines[index], point)[0]
    return shapely.Point(on_road.x + SET_BACK_M, on_road.y + SET_BACK_M), str(roads.name.iloc[index])


def _address(city_admin: pd.DataFrame, road: str, code: str) -> str:
    commune = city_admin[city_admin.code == code].iloc[0]
    return f"{road}, {'phường' if commune.unit_type == 'phuong' else 'xã'} {commune['name']}"


def emergency_stations(ctx: Context) -> pd.DataFrame:
    """Police and fire and rescue stations (frame coordinates)."""
    city, rows = ctx.city, []
    sites = ctx.points[ctx.points.kind == "police"].reset_index(drop=True)
    for name, site in zip(POLICE_SITES, sites.itertuples(), strict=False):
        rows.append({"name": name, "address": site.address, "ward_code": site.ward_code, "service": "police",
                     "geometry": site.geometry})
    communes = city.admin[(city.admin.level == "commune") & city.admin.valid_to.isna()]
    for commune in communes.itertuples():
        point, road = _by_road(city.roads, commune.geometry.point_on_surface())
        ward = _commune_of(city.admin, point)
        rows.append({"name": f"Công an {'phường' if commune.unit_type == 'phuong' else 'xã'} {commune.name}",
                     "address": _address(city.admin, road, ward), "ward_code": ward, "service": "police",
                     "geometry": point})
    roads = city.roads.set_index("code")
    for name, road, share in FIRE_STATIONS:
        line = roads.geometry[road]
        point, road = _by_road(city.roads, line.interpolate(share, normalized=True))
        ward = _commune_of(city.admin, point)
        rows.append({"name": name, "address": _address(city.admin, road, ward), "ward_code": ward,
                     "service": "fire", "geometry": point})
    frame = pd.DataFrame(rows)
    number = frame.groupby("service").cumcount() + 1
    frame.insert(0, "code", [f"{CODE_PREFIX[s]}-{n:02d}" for s, n in zip(frame.service, number, strict=True)])
    frame["hotline"] = frame.service.map(HOTLINE)
    return frame


@dataclass(frozen=True)
class Step:
    """A step of a demo SOP: vi, en, minutes, who is in charge (a role, unit code or unit kind), checklist."""

    vi: str
    en: str
    minutes: int
    role: str = ""
    unit: str = ""
    unit_kind: str = ""
    checklist: tuple[tuple[str, str], ...] = ()


SOPS: dict[str, tuple[str, str, tuple[Step, ...]]] = {
    "fire": ("Quy trình ứng phó cháy, nổ", "Fire and explosion procedure", (
        Step("Tiếp nhận tin báo, xác minh địa điểm và quy mô đám cháy",
             "Take the call, confirm the place and size of the fire", 2, role="operator",
             checklist=(("Địa chỉ chính xác", "Exact address"), ("Có người mắc kẹt không", "Anyone trapped"),
                        ("Chất đang cháy", "What is burning"))),
        Step("Điều động lực lượng Cảnh sát PCCC và CNCH", "Dispatch the fire and rescue police", 5,
             unit_kind="police", checklist=(("Xe chữa cháy đã xuất phát", "Fire engines on their way"),
                                            ("Báo thời gian dự kiến đến", "Arrival time reported"))),
        Step("Báo điện lực cắt điện khu vực, gọi cấp cứu 115", "Have the power cut, call the 115 ambulance",
             10, role="operator", checklist=(("Đã báo điện lực", "Power company called"),
                                         ("Đã gọi 115", "Ambulance called"))),
        Step("UBND phường, xã sơ tán người dân, bảo vệ hiện trường",
             "The ward committee evacuates people and secures the site", 20, unit_kind="commune",
             checklist=(("Sơ tán người dân", "People evacuated"), ("Lập rào chắn", "Cordon set"))),
        Step("Báo cáo lãnh đạo kết quả xử lý ban đầu", "Report the first results to the leaders", 60,
             role="leader"),
    )),
    "flood": ("Quy trình ứng phó ngập lụt, sạt lở", "Flood and landslide procedure", (
        Step("Xác minh mức ngập, phạm vi sạt lở qua camera và tin báo",
             "Confirm the water level or landslide from cameras and calls", 5, role="operator"),
        Step("UBND phường, xã cảnh báo và sơ tán hộ dân vùng nguy hiểm", "The ward committee warns and "
             "evacuates the households at risk", 15, unit_kind="commune",
             checklist=(("Loa cảnh báo", "Loudspeaker warning"), ("Danh sách hộ sơ tán", "List of households "
                                                                   "evacuated"))),
        Step("Công an phân luồng, cấm đường ngập sâu", "The police divert traffic from flooded roads", 30,
             unit_kind="police"),
        Step("Công ty Cấp thoát nước khơi thông cống, vận hành bơm tiêu",
             "The water company clears drains and runs the pumps", 30, unit="CTN"),
        Step("Sở Nông nghiệp và Môi trường đánh giá nguy cơ sạt lở", "The agriculture and environment "
             "department assesses the landslide risk", 60, unit="SNNMT"),
        Step("Báo cáo lãnh đạo", "Report to the leaders", 120, role="leader"),
    )),
    "traffic_accident": ("Quy trình ứng phó tai nạn giao thông", "Traffic accident procedure", (
        Step("Xác minh vị trí tai nạn qua camera", "Confirm the place of the accident on the cameras", 2,
             role="operator"),
        Step("Gọi cấp cứu 115 nếu có người bị thương", "Call the 115 ambulance for the injured", 5,
             role="operator",
             checklist=(("Số người bị thương", "Number of injured"), ("Đã gọi 115", "Ambulance called"))),
        Step("Cảnh sát giao thông đến hiện trường, phân luồng",
             "Traffic police reach the site and divert traffic", 10, unit_kind="police",
             checklist=(("Phân luồng", "Traffic diverted"), ("Bảo vệ hiện trường", "Site secured"),
                        ("Lập biên bản", "Report drawn up"))),
        Step("UBND phường, xã hỗ trợ thu dọn hiện trường", "The ward committee helps clear the site", 30,
             unit_kind="commune"),
        Step("Xác nhận giao thông thông suốt, đóng sự cố", "Confirm traffic flows again and close", 60,
             role="operator"),
    )),
    "public_order": ("Quy trình xử lý mất trật tự công cộng", "Public disorder procedure", (
        Step("Xác minh qua camera và tin báo 113", "Confirm on the cameras and the 113 call", 5,
             role="operator"),
        Step("Công an đến hiện trường giải tán, giữ trật tự", "The police reach the site and restore order",
             10, unit_kind="police", checklist=(("Giải tán đám đông", "Crowd dispersed"),
                                            ("Ghi hình hiện trường", "Site filmed"))),
        Step("UBND phường, xã nắm tình hình, vận động người dân", "The ward committee talks with the people "
             "involved", 30, unit_kind="commune"),
        Step("Báo cáo lãnh đạo", "Report to the leaders", 60, role="leader"),
    )),
}
IN_FLIGHT = {"fire": 1, "traffic_accident": 2, "public_order": 1}  # open incidents given a response
# and a new one, reported NEW_BEFORE the demo's end in the middle of a commune (Nam Cường: its committee's
# staff, xuly.namcuong, see their steps): category, commune code, title, severity, description
NEW_IN_FLIGHT = ("flood", "04303", "Sạt lở taluy dương, đất đá tràn xuống đường", "high",
                 "Mưa lớn kéo dài gây sạt lở taluy dương, khoảng 50 m³ đất đá tràn xuống lòng đường.")
NEW_BEFORE = timedelta(minutes=50)
OPEN = ("new", "dispatched", "in_progress")
OPENED_AFTER = timedelta(minutes=3)  # an operator opens the response this long after the report


def create_sops() -> int:
    """The demo's SOPs (units by code must exist); the number of steps made."""
    units = {unit.code: unit for unit in ResponsibleUnit.objects.all()}
    made = 0
    for category, (title_vi, title_en, steps) in SOPS.items():
        sop = Sop.objects.create(category=category, title_vi=title_vi, title_en=title_en)
        SopStep.objects.bulk_create(SopStep(
            sop=sop, number=number, title_vi=step.vi, title_en=step.en, target_minutes=step.minutes,
            role=step.role, unit=units[step.unit] if step.unit else None, unit_kind=step.unit_kind,
            checklist_vi="\n".join(vi for vi, _en in step.checklist),
            checklist_en="\n".join(en for _vi, en in step.checklist))
            for number, step in enumerate(steps, start=1))
        made += len(steps)
    return made


def _work(response: IncidentResponse, n: int, until: datetime, by: str) -> None:
    """Complete the steps of demo response `n` but the last one or two (left to do), by `until` at the
    latest: every third a few minutes late, the others a minute early; and a note."""
    steps = list(response.incident.steps.order_by("number"))
    for step in steps[:len(steps) - 1 - n % 2]:
        late = (n + step.number) % 3 == 0
        at = step.due_at + (timedelta(minutes=7) if late else -timedelta(minutes=1))
        at = max(step.opened_at, min(at, until))
        complete_step(step, by=by, checked=list(range(len(step.checklist))), at=at,
                      note="Đã thực hiện theo quy trình" if not late else "Chậm do ùn tắc trên đường")
    first = min(response.opened_at + timedelta(minutes=1), until)
    add_note(response.incident, by=by, at=first, note="Đã liên hệ người báo tin, xác nhận thông tin ban đầu")


def _new_incident(until: datetime, by: str) -> IncidentResponse:
    category, commune, title, severity, description = NEW_IN_FLIGHT
    point = AdminUnit.objects.get(code=commune, level="commune", valid_to__isnull=True).geom.point_on_surface
    return open_incident(by=by, at=until - NEW_BEFORE, category=category, lon=point.x, lat=point.y,
                         title=title, severity=severity, description=description)


def open_demo_responses(until: datetime) -> int:
    """A new incident's response (NEW_IN_FLIGHT) and responses opened on the latest open incidents of
    some SOP categories (IN_FLIGHT), worked up to `until` (the demo's end); the number opened."""
    by = demo_officer().get_username()
    _work(_new_incident(until, by), 0, until, by)
    opened = 1
    for category, count in IN_FLIGHT.items():
        latest = (Incident.objects.filter(category=category, status__in=OPEN, reported_at__lte=until)
                  .order_by("-reported_at", "-pk")[:count])
        for incident in latest:
            at = min(incident.reported_at + OPENED_AFTER, until)
            _work(open_incident(by=by, incident=incident, at=at), opened, until, by)
            opened += 1
    return opened


def load_response(until: datetime) -> tuple[int, int]:
    """SOPs, responses in flight and the road graph of the loaded demo; (SOP steps, responses)."""
    steps = create_sops()
    responses = open_demo_responses(until)
    road_graph.refresh(force=True)
    return steps, responses
