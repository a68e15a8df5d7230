"""Administrators write each incident category's SOP (its steps in order, who is in charge, the target
minutes, the checklist in both languages) in Django's admin. Emergency stations are a layer: imported,
or edited by administrators through the editing API."""

from django.contrib import admin

from response.models import Sop, SopStep


class SopStepInline(admin.StackedInline):
    model = SopStep
    extra = 1
    ordering = ("number",)
    autocomplete_fields = ("unit",)
    fields = (("number", "target_minutes"), "title_vi", "title_en", ("role", "unit", "unit_kind"),
              ("checklist_vi", "checklist_en"))


@admin.register(Sop)
class SopAdmin(admin.ModelAdmin):
    """An SOP with its steps; a change applies to incidents opened after it (steps in flight keep theirs)."""

    list_display = ("category", "title_vi", "title_en", "active", "updated_at")
    list_filter = ("active",)
    inlines = (SopStepInline,)

