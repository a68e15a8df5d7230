"""Administrators set routing rules, category policies and the units themselves in Django's admin."""

from django.contrib import admin

from feedback.models import CategoryPolicy, RoutingRule
from layers.models import ResponsibleUnit


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "ward", "unit", "note")
    list_filter = ("category", "unit")
    autocomplete_fields = ("unit",)


@admin.register(CategoryPolicy)
class CategoryPolicyAdmin(admin.ModelAdmin):
    list_display = ("category", "deadline", "deadline_unit", "duplicate_radius_m", "duplicate_hours",
                    "reopen_days")


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    """A unit, its communes and categories; saving recomputes its shape on the map."""

    list_display = ("code", "name", "unit_kind", "active")
    list_filter = ("unit_kind", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("wards",)
    exclude = ("geom",)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.refresh_shape()
