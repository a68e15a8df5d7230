"""When each layer's data was last confirmed current by an import or a harvest (even one that changed
nothing): what "Sống" (alive) is judged by, beside the rows' own times (layers.freshness)."""

from django.db import models


class LayerRefresh(models.Model):
    layer = models.CharField("Lớp dữ liệu", max_length=40, unique=True)
    refreshed_at = models.DateTimeField("Xác nhận lúc")
    source = models.CharField("Nguồn", max_length=200, blank=True)

    class Meta:
        verbose_name = "Lần cập nhật lớp dữ liệu"
        verbose_name_plural = "Lần cập nhật lớp dữ liệu"

    def __str__(self) -> str:
        return f"{self.layer} @ {self.refreshed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, layer: str, at: object, source: str = "") -> None:
        """The layer was confirmed current at `at` (kept when later than what is known)."""
        row, created = cls.objects.get_or_create(layer=layer, defaults={"refreshed_at": at, "source": source})
        if not created and row.refreshed_at < at:
            cls.objects.filter(pk=row.pk).update(refreshed_at=at, source=source)
