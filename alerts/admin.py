"""Administrators write alert rules and subscriptions in Django's admin; every saved change of a rule is
kept as a version (who, when, what) shown under the rule. Alerts are read here, acted on at the wall."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alerts.models import Alert, AlertRule, AlertRuleVersion, Subscription


class VersionInline(admin.TabularInline):
    """The rule's history, newest first: read-only."""

    model = AlertRuleVersion
    extra = 0
    can_delete = False
    fields = readonly_fields = ("version", "changed_at", "changed_by", "data")
    ordering = ("-version",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "layer", "severity", "active", "version", "updated_at",
                    "updated_by")
    list_filter = ("kind", "layer", "severity", "active")
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("version", "updated_at", "updated_by")
    inlines = (VersionInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "kind", "layer", "active", "version", "updated_at",
                           "updated_by")}),
        ("Điều kiện / Condition", {"fields": (
            "metric", "source_layer", "filters", "comparison", "threshold", "readings", "min_count",
            "grouping", "radius_m", "window_minutes", "silence_minutes", "cooldown_minutes")}),
        ("CAP", {"fields": ("severity", "urgency", "certainty", "category", "public", "instruction",
                            "instruction_en")}),
    )

    def save_model(self, request: HttpRequest, obj: AlertRule, form: Any, change: bool) -> None:
        obj.save(by=request.user)  # a new version, by this administrator, when anything changed


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "severity", "status", "opened_at", "acknowledged_at", "cleared_at")
    list_filter = ("status", "severity", "kind", "rule")
    search_fields = ("code", "title")
    exclude = ("geom", "area")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "unit", "user", "min_severity", "quiet_from", "quiet_to", "active")
    list_filter = ("role", "min_severity", "active")
    filter_horizontal = ("wards",)
    autocomplete_fields = ("unit",)
