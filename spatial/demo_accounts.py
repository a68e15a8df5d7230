"""Demo accounts, one per role, created by `ioc setup_roles --demo` (never in production)."""

from __future__ import annotations

from dataclasses import dataclass

from spatial.roles import ADMINISTRATOR, GIS_USER, LAND_OFFICIAL, LEADER, OPERATOR, PLANNER, UNIT_STAFF, Role

DEMO_PASSWORD = "toancanh-demo"  # printed in the README; the demo is local and synthetic


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    wards: tuple[str, ...] = ()  # names of the commune-level units the account may edit
    units: tuple[str, ...] = ()  # names of the responsible units whose reports the account works
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("quantri", "Quản trị hệ thống", ADMINISTRATOR, superuser=True),
    DemoAccount("diachinh.dongtam", "Nguyễn Văn An", LAND_OFFICIAL, ("Đồng Tâm",)),
    DemoAccount("diachinh.hongha", "Trần Thị Bình", LAND_OFFICIAL, ("Hồng Hà", "Nguyễn Thái Học")),
    DemoAccount("quyhoach", "Lê Minh Châu", PLANNER, ("Đồng Tâm", "Hồng Hà", "Nguyễn Thái Học")),
    DemoAccount("vanhanh", "Phạm Quốc Dũng", OPERATOR),
    DemoAccount("xuly.namcuong", "Đỗ Thị Mai", UNIT_STAFF, units=("UBND Nam Cường",)),
    DemoAccount("lanhdao", "Hoàng Thu Hà", LEADER),
    DemoAccount("gis", "Vũ Đức Giang", GIS_USER),
)
