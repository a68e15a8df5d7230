"""Which unit a report goes to, by its category and the commune it was made in.

In order: the rule for this category in this commune; the rule for this category anywhere; the
active unit whose jurisdiction holds the commune and whose categories hold the category (a
commune's committee before a utility, the police or a department, then by code); else None, and the
report waits for an operator to assign it. Inactive units are never chosen.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from feedback.models import RoutingRule
from layers.models import AdminUnit, ResponsibleUnit
from layers.vocabularies import UNIT_KIND


def route(category: str, ward: AdminUnit | int | None) -> ResponsibleUnit | None:
    """The unit that should handle a report of `category` made in commune `ward`, or None."""
    ward_id = ward.pk if isinstance(ward, AdminUnit) else ward
    rules = RoutingRule.objects.filter(category=category, unit__active=True).select_related("unit")
    here = rules.filter(ward_id=ward_id).first() if ward_id else None
    rule = here or rules.filter(ward__isnull=True).first()
    if rule is not None:
        return rule.unit
    if ward_id is None:
        return None
    kind_order = Case(*(When(unit_kind=code, then=Value(i)) for i, code in enumerate(UNIT_KIND.codes)),
                      output_field=IntegerField())
    return (ResponsibleUnit.objects.filter(active=True, wards=ward_id, categories__contains=[category])
            .order_by(kind_order, "code").first())
