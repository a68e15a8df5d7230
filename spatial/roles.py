"""The platform's roles (Django groups) and what each may do, declared once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    vi: str
    en: str


LAND_OFFICIAL = Role("land_official", "Cán bộ địa chính", "Land official")
PLANNER = Role("planner", "Cán bộ quy hoạch", "Planner")
OPERATOR = Role("operator", "Điều hành viên IOC", "IOC operator")
# works the citizen reports of the units assigned to them (spatial.UnitAssignment), and no others
UNIT_STAFF = Role("unit_staff", "Cán bộ xử lý", "Unit staff")
LEADER = Role("leader", "Lãnh đạo", "Leader")
GIS_USER = Role("gis_user", "Người dùng GIS", "GIS user")
ADMINISTRATOR = Role("administrator", "Quản trị hệ thống", "Administrator")

ROLES: tuple[Role, ...] = (LAND_OFFICIAL, PLANNER, OPERATOR, UNIT_STAFF, LEADER, GIS_USER, ADMINISTRATOR)
ROLE_CODES = tuple(role.code for role in ROLES)
