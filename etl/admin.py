"""Admin of scheduled harvests (etl.Harvest): administrators declare them; the outcome is read-only."""

from django.contrib import admin

from etl.models import Harvest


@admin.register(Harvest)
class HarvestAdmin(admin.ModelAdmin):
    list_display = ("code", "layer", "kind", "every_minutes", "active", "last_run_at", "last_outcome")
    list_filter = ("layer", "kind", "active", "last_outcome")
    readonly_fields = ("last_run_at", "last_outcome", "last_message", "last_report")
