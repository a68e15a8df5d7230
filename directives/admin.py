"""Administrators look up directives and their evidence in Django's admin; issuing and moving them goes
through the directives API (the moves' rules, history and notifications live there), so status and
times are read-only here."""

from django.contrib import admin

from directives.models import Directive, DirectivePhoto


class PhotoInline(admin.TabularInline):
    model = DirectivePhoto
    extra = 0
    fields = ("image", "width", "height", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "unit", "priority", "status", "issued_at", "due_at", "done_at",
                    "escalated_at")
    list_filter = ("status", "priority", "unit")
    search_fields = ("code", "batch", "title", "text")
    date_hierarchy = "issued_at"
    readonly_fields = ("code", "batch", "unit", "issued_by", "status", "issued_at", "acknowledged_at",
                       "done_at", "escalated_at", "ward", "incident", "report", "alert_id", "geom")
    exclude = ("version",)
    inlines = (PhotoInline,)

    def has_add_permission(self, request) -> bool:
        return False  # a directive is issued through the API (one per unit, announced)
