"""App config of the working calendar."""

from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "Lịch làm việc / Working calendar"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from workdays.models import CalendarDay, OfficeHours
        from workdays.store import rows_changed

        for model in (CalendarDay, OfficeHours):
            post_save.connect(rows_changed, sender=model, dispatch_uid=f"workdays-{model.__name__}-saved")
            post_delete.connect(rows_changed, sender=model, dispatch_uid=f"workdays-{model.__name__}-deleted")
