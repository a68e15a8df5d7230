"""Django admin of the hub's tables: successions, agency placements, values, targets and period reports."""

from django.contrib import admin

from indicators.models import AgencyPlacement, IndicatorValue, PeriodReport, Target, UnitSuccession


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "share", "basis", "source")
    list_filter = ("basis",)
    raw_id_fields = ("predecessor", "successor")


@admin.register(AgencyPlacement)
class AgencyPlacementAdmin(admin.ModelAdmin):
    list_display = ("agency", "parent", "valid_from", "valid_to")
    raw_id_fields = ("agency", "parent")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = (
        "indicator",
        "area",
        "agency",
        "period_kind",
        "period_start",
        "value",
        "status",
        "reported_at",
    )
    list_filter = ("indicator", "period_kind", "status")
    raw_id_fields = ("area", "agency", "reported_by")
    date_hierarchy = "period_start"


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "area", "agency", "period_kind", "period_start", "value")
    list_filter = ("indicator", "period_kind")
    raw_id_fields = ("area", "agency")


@admin.register(PeriodReport)
class PeriodReportAdmin(admin.ModelAdmin):
    """Read the reports; their status moves only through the form or the API (history in django-fsm-log)."""

    list_display = ("area", "agency", "period_kind", "period_start", "status", "submitted_at")
    list_filter = ("status", "period_kind")
    raw_id_fields = ("area", "agency")
    readonly_fields = ("status", "submitted_at")
    date_hierarchy = "period_start"
