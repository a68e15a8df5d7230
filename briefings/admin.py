"""Administrators set who receives which briefing."""

from django.contrib import admin

from briefings.models import Dispatch, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "area_code", "kind", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("user__username", "user__email", "area_code")
    autocomplete_fields = ("user",)


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ("subscription", "period_start", "sent_at", "event_id")
    readonly_fields = ("subscription", "period_start", "sent_at", "event_id")
