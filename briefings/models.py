"""Who receives which briefing: a subscription (a user, an area, weekly or monthly) and the record of each
briefing sent, which makes a send happen once however often the job runs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

KIND_CHOICES = [("weekly", "Hằng tuần / Weekly"), ("monthly", "Hằng tháng / Monthly")]


class Subscription(models.Model):
    """`user` receives the `kind` briefing of the area with code `area_code` (a province or a commune, the
    unit of that code in force at the end of each period) at the e-mail address of the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="Người nhận / recipient",
                             on_delete=models.CASCADE, related_name="briefing_subscriptions")
    area_code = models.CharField("Mã địa bàn / area code", max_length=10,
                                 help_text="Mã tỉnh hoặc xã, phường (ví dụ 15, 04300) / "
                                           "a province's or commune's code")
    kind = models.CharField("Loại / kind", max_length=8, choices=KIND_CHOICES)
    active = models.BooleanField("Đang nhận / active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Đăng ký nhận báo cáo / briefing subscription"
        verbose_name_plural = "Đăng ký nhận báo cáo / briefing subscriptions"
        constraints = [
            models.UniqueConstraint(fields=["user", "area_code", "kind"], name="briefing_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.area_code} · {self.kind}"

    def clean(self) -> None:
        """Refuse, naming the field, an area code that names no province or commune and a recipient who
        has no e-mail address or may not read briefings."""
        from briefings.access import may_read
        from layers.models import AdminUnit
        from spatial.access import Viewer

        errors = {}
        if not AdminUnit.objects.filter(code=self.area_code, level__in=("province", "commune")).exists():
            errors["area_code"] = (f"Không có tỉnh hoặc xã, phường mã «{self.area_code}» / "
                                   f"no province or commune has code {self.area_code!r}")
        if self.user_id and not self.user.email:
            errors["user"] = "Người nhận chưa có địa chỉ e-mail / the recipient has no e-mail address"
        elif self.user_id and not may_read(Viewer.of(self.user)):
            errors["user"] = ("Chỉ lãnh đạo, điều hành viên và quản trị hệ thống nhận báo cáo / "
                              "only leaders, operators and administrators receive briefings")
        if errors:
            raise ValidationError(errors)


class Dispatch(models.Model):
    """One briefing sent to one subscription for one period (claimed before it is built: sent once)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="dispatches")
    period_start = models.DateField()
    sent_at = models.DateTimeField()
    event_id = models.UUIDField(null=True, blank=True)  # notify.Event of the e-mail

    class Meta:
        verbose_name = "Báo cáo đã gửi / briefing sent"
        verbose_name_plural = "Báo cáo đã gửi / briefings sent"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="briefing_sent_once"),
        ]
