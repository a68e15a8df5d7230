"""The demo city's units that handle citizen reports, their routing rules and category policies.

Units are created with the ORM after the communes are loaded (a unit's jurisdiction is a set of
communes, which a feature file cannot carry): a people's committee for each commune in force,
serving it and the pre-2025 communes whose centre lies in it, and the provincial departments, the
police and the water company, serving every commune. The figures of the policies are the demo's
own choice (deadlines are set locally, see docs/working-calendar.md).
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import transaction

from feedback.models import CategoryPolicy, RoutingRule
from feedback.routing import route
from layers.models import AdminUnit, CitizenReport, ResponsibleUnit

# statuses a unit has been given the report in (the demo's rejections come from the unit: see histories)
HANDLED = ("assigned", "in_progress", "waiting", "resolved", "rejected")

# code, name, English name, kind, categories
PROVINCIAL = (
    ("SXD", "Sở Xây dựng", "Department of Construction", "department", ["infrastructure", "land"]),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "department",
     ["environment", "land"]),
    ("CA", "Công an tỉnh", "Provincial Police", "police", ["security", "public_order"]),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công", "Public Administration Service Centre", "department",
     ["administrative"]),
    ("CTN", "Công ty Cấp thoát nước", "Water Supply and Drainage Company", "utility", ["infrastructure"]),
)
COMMITTEE_CATEGORIES = ["infrastructure", "environment", "public_order", "administrative"]
# category: working days to answer, duplicate radius (m) and window (h), days to reopen
POLICIES = {
    "infrastructure": (10, 50, 72, 7),
    "environment": (7, 80, 72, 7),
    "public_order": (5, 50, 24, 7),
    "land": (20, 30, 168, 15),
    "administrative": (15, 0, 24, 15),
    "security": (3, 100, 12, 3),
}


@transaction.atomic
def create_units() -> int:
    """Units, routing rules and policies of the demo; the number of units made."""
    communes = AdminUnit.objects.communes()
    current = list(communes.filter(valid_to__isnull=True))
    made = []
    for commune in current:
        older = communes.filter(valid_to__isnull=False).annotate(centre=PointOnSurface("geom")) \
            .filter(centre__within=commune.geom)
        unit = ResponsibleUnit.objects.create(
            code=f"UBND-{commune.code}", name=f"UBND {commune.name}",
            name_en=f"{commune.name} People's Committee", unit_kind="commune",
            categories=COMMITTEE_CATEGORIES, email=f"ubnd.{commune.code}@demo.invalid")
        unit.wards.set([commune, *older])
        made.append(unit)
    for code, name, name_en, kind, categories in PROVINCIAL:
        unit = ResponsibleUnit.objects.create(code=code, name=name, name_en=name_en, unit_kind=kind,
                                              categories=categories, email=f"{code.lower()}@demo.invalid",
                                              head_email=f"lanhdao.{code.lower()}@demo.invalid")
        unit.wards.set(communes)
        made.append(unit)
    for unit in made:
        unit.refresh_shape()
    RoutingRule.objects.create(category="security", unit=ResponsibleUnit.objects.get(code="CA"),
                               note="an ninh trật tự: công an tỉnh")
    RoutingRule.objects.create(category="land", unit=ResponsibleUnit.objects.get(code="SNNMT"))
    CategoryPolicy.objects.bulk_create(
        CategoryPolicy(category=category, deadline=days, duplicate_radius_m=radius, duplicate_hours=hours,
                       reopen_days=reopen) for category, (days, radius, hours, reopen) in POLICIES.items())
    return len(made)


@transaction.atomic
def assign_reports() -> int:
    """The demo's reports that reached a unit get the unit routing gives them (their category in
    their commune) and its name, the others neither; the number of reports given a unit."""
    handled = CitizenReport.objects.filter(status__in=HANDLED)
    updated = 0
    for category, ward_id in handled.values_list("category", "ward_id").distinct():
        unit = route(category, ward_id)
        if unit is not None:
            updated += handled.filter(category=category, ward_id=ward_id).update(unit=unit,
                                                                                 responsible_unit=unit.name)
    CitizenReport.objects.exclude(status__in=HANDLED).update(unit=None, responsible_unit="")
    return updated
