"""Notifications admin: webhook endpoints edited, events and their deliveries read, failed ones sent again."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from notify.models import PATTERN, PATTERN_HELP, Delivery, Event, WebhookEndpoint
from notify.tasks import deliver


class WebhookEndpointForm(forms.ModelForm):
    """Checks the event type patterns, naming the ones that are wrong."""

    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "event_types", "active", "secret")

    def clean_event_types(self) -> list[str]:
        patterns = self.cleaned_data["event_types"]
        if wrong := [pattern for pattern in patterns if not re.match(PATTERN, pattern)]:
            listed = ", ".join(wrong)
            raise forms.ValidationError(f"Mẫu không hợp lệ / not a pattern: {listed}; {PATTERN_HELP}")
        return patterns


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "patterns", "active")
    list_filter = ("active",)
    search_fields = ("name", "url")
    fields = ("name", "url", "event_types", "active", "secret")

    @admin.display(description="loại sự kiện / event types")
    def patterns(self, obj: WebhookEndpoint) -> str:
        return ", ".join(obj.event_types)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("channel", "target", "status", "attempts", "last_status_code", "last_error", "delivered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "type", "id")
    list_filter = ("type",)
    search_fields = ("=id", "type")
    readonly_fields = ("id", "type", "occurred_at", "payload")
    inlines = [DeliveryInline]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "target", "status", "attempts", "last_status_code",
                    "delivered_at")
    list_filter = ("status", "channel")
    search_fields = ("=event__id", "event__type", "target")
    readonly_fields = ("event", "channel", "endpoint", "target", "message", "status", "attempts",
                       "last_status_code", "last_error", "created_at", "updated_at", "delivered_at")
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Gửi lại các lần gửi thất bại / Send failed deliveries again")
    def send_again(self, request, queryset) -> None:
        with transaction.atomic():
            failed = list(queryset.filter(status=Delivery.Status.FAILED).select_for_update())
            for delivery in failed:
                delivery.status = Delivery.Status.PENDING
                delivery.save(update_fields=["status", "updated_at"])
            if failed:
                deliver.batch_defer(*({"delivery_id": d.id} for d in failed))
        self.message_user(request, f"{len(failed)} lần gửi được xếp hàng lại / queued again",
                          messages.SUCCESS)
