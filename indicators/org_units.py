"""Organisation units: one dated tree over the areas (layers.AdminUnit: province, district, commune,
with their validity dates) and the agencies (layers.ResponsibleUnit) placed in it by AgencyPlacement.

Nothing is copied: an `OrgUnit` is a view of one of the two, keyed by its kind and id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from indicators.errors import BadParameter, UnknownUnit
from indicators.models import AgencyPlacement
from layers.models import AdminUnit, ResponsibleUnit

LEVEL_NAMES_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã, phường", "agency": "cơ quan"}


@dataclass(frozen=True)
class OrgUnit:
    """An area (kind "area", a layers.AdminUnit) or an agency (kind "agency", a layers.ResponsibleUnit)."""

    kind: str
    id: int
    code: str
    name: str
    name_en: str
    level: str  # province | district | commune | agency
    valid_from: date | None
    valid_to: date | None

    @property
    def area_id(self) -> int | None:
        return self.id if self.kind == "area" else None

    @property
    def agency_id(self) -> int | None:
        return self.id if self.kind == "agency" else None

    def as_json(self, language: str = "vi") -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name_en if language == "en" and self.name_en else self.name,
            "level": self.level,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }

    @classmethod
    def of_area(cls, unit: AdminUnit) -> OrgUnit:
        return cls(
            "area", unit.pk, unit.code, unit.name, unit.name_en, unit.level, unit.valid_from, unit.valid_to
        )

    @classmethod
    def of_agency(cls, unit: ResponsibleUnit) -> OrgUnit:
        placed = AgencyPlacement.objects.filter(agency=unit).order_by("valid_from")
        first, last = placed.first(), placed.last()
        return cls(
            "agency",
            unit.pk,
            unit.code,
            unit.name,
            unit.name_en,
            "agency",
            first.valid_from if first else None,
            last.valid_to if last else None,
        )


def resolve(code: str, day: date) -> OrgUnit:
    """The unit with `code` meant on `day`: an area code names the area of that code in force on `day`,
    else the last one that began before it (codes are reused: province 15 was Yên Bái, then Lào Cai),
    else the first one that began after it (a 2025 commune asked for its past);
    an agency code names that agency. 404 for none, 400 when a code names both."""
    areas = AdminUnit.objects.filter(code=code)
    earlier = areas.filter(valid_from__lte=day).order_by("-valid_from")
    area = (
        earlier.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)).first()
        or earlier.first()
        or areas.order_by("valid_from").first()
    )
    agency = ResponsibleUnit.objects.filter(code=code).first()
    if area is not None and agency is not None:
        raise BadParameter(
            f"unit: mã «{code}» vừa là đơn vị hành chính vừa là cơ quan",
            f"unit: code {code!r} names both an area and an agency",
        )
    if area is not None:
        return OrgUnit.of_area(area)
    if agency is not None:
        return OrgUnit.of_agency(agency)
    raise UnknownUnit(
        f"unit: không có đơn vị mã «{code}» vào ngày {day:%d/%m/%Y}",
        f"unit: no unit with code {code!r} on {day.isoformat()}",
    )


def tree(day: date, language: str = "vi") -> list[dict]:
    """The units in force on `day`, parents first: areas by level and code, then the agencies placed
    then, each with its parent's code ("parent": None for a province)."""
    areas = AdminUnit.objects.valid_on(day).select_related("parent").defer("geom", "parent__geom")
    order = {"province": 0, "district": 1, "commune": 2}
    rows = [
        {**OrgUnit.of_area(area).as_json(language), "parent": area.parent.code if area.parent else None}
        for area in sorted(areas, key=lambda a: (order.get(a.level, 3), a.code))
    ]
    placed = AgencyPlacement.objects.filter(
        Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    for placement in placed.select_related("agency", "parent").order_by("agency__code"):
        unit = OrgUnit(
            "agency",
            placement.agency.pk,
            placement.agency.code,
            placement.agency.name,
            placement.agency.name_en,
            "agency",
            placement.valid_from,
            placement.valid_to,
        )
        rows.append({**unit.as_json(language), "parent": placement.parent.code})
    return rows
