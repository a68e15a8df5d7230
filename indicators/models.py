"""The hub's tables: where agencies sit in the unit tree, which unit succeeded which, reported values
and targets. Areas are layers.AdminUnit and agencies layers.ResponsibleUnit: nothing here copies them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from indicators.periods import KINDS

PERIOD_KINDS = [(kind, kind) for kind in KINDS]
VALUE_STATUSES = [
    ("draft", "Nháp / Draft"),
    ("reported", "Đã báo cáo / Reported"),
    ("approved", "Đã duyệt / Approved"),
    ("returned", "Bị trả lại / Returned"),
]
# a unit's report of a period (indicators.entry): its values' status follows it
REPORT_STATUSES = [
    ("draft", "Nháp / Draft"),
    ("submitted", "Đã nộp / Submitted"),
    ("approved", "Đã duyệt / Approved"),
    ("returned", "Bị trả lại / Returned"),
]
VALUE_STATUS_OF_REPORT = {
    "draft": "draft",
    "submitted": "reported",
    "approved": "approved",
    "returned": "returned",
}
COUNTED_STATUSES = ("reported", "approved")  # the statuses whose values the figures count
SUCCESSION_BASES = [
    ("whole", "Toàn bộ / Whole"),
    ("area", "Theo diện tích / By area"),
    ("population", "Theo dân số / By population"),
]


def _one_unit() -> Q:
    return (Q(area__isnull=False) & Q(agency__isnull=True)) | (Q(area__isnull=True) & Q(agency__isnull=False))


def _aligned() -> Q:
    """The period's start is the first day of its kind (weeks: a Monday)."""
    return (
        Q(period_kind="day")
        | Q(period_kind="week", period_start__iso_week_day=1)
        | Q(period_kind="month", period_start__day=1)
        | Q(period_kind="quarter", period_start__day=1, period_start__month__in=(1, 4, 7, 10))
        | Q(period_kind="year", period_start__day=1, period_start__month=1)
    )


def _valid_range() -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from"))


class AgencyPlacement(models.Model):
    """An agency (sở, ban, ngành: a layers.ResponsibleUnit) reporting under an area unit (usually the
    province) from `valid_from` to `valid_to` (exclusive; open: still)."""

    agency = models.ForeignKey("layers.ResponsibleUnit", on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey("layers.AdminUnit", on_delete=models.PROTECT, related_name="agencies")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "Cơ quan trong cây đơn vị / Agency placement"
        constraints = [models.CheckConstraint(condition=_valid_range(), name="agency_placement_valid_range")]

    def __str__(self) -> str:
        return f"{self.agency_id} under {self.parent_id} from {self.valid_from}"


class UnitSuccession(models.Model):
    """`predecessor` (an area unit that ended) went, wholly or in part, into `successor` (one that began
    when or after it ended): `share` of its figures belong to the successor, by `basis`. The shares of
    one predecessor add up to 1 (indicators.succession.check_shares)."""

    predecessor = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="predecessions")
    share = models.FloatField(default=1.0)
    basis = models.CharField(max_length=10, choices=SUCCESSION_BASES, default="whole")
    source = models.CharField(max_length=200, blank=True)  # the decision, e.g. "NQ 1673/NQ-UBTVQH15"

    class Meta:
        verbose_name = "Kế thừa đơn vị hành chính / Unit succession"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession_once"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="unit_succession_share"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.share:g})"


class Figure(models.Model):
    """What values and targets share: an indicator (indicators.registry code), a unit (an area or an
    agency, exactly one) and a period (kind and first day)."""

    indicator = models.CharField(max_length=40)
    area = models.ForeignKey(
        "layers.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "layers.ResponsibleUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(max_length=7, choices=PERIOD_KINDS)
    period_start = models.DateField()
    value = models.FloatField()

    class Meta:
        abstract = True


class IndicatorValue(Figure):
    """An actual figure as reported (the data-entry workflow moves `status`)."""

    status = models.CharField(max_length=10, choices=VALUE_STATUSES, default="reported")
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=100, blank=True)  # e.g. "demo", "import:xlsx"

    class Meta:
        verbose_name = "Số liệu chỉ tiêu / Indicator value"
        constraints = [
            models.CheckConstraint(condition=_one_unit(), name="indicator_value_one_unit"),
            models.CheckConstraint(condition=_aligned(), name="indicator_value_period_start"),
            models.UniqueConstraint(
                fields=["indicator", "area", "agency", "period_kind", "period_start"],
                nulls_distinct=False,
                name="indicator_value_once",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]


class Target(Figure):
    """A plan value (kế hoạch) of a unit for a year or a quarter."""

    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Kế hoạch / Target"
        constraints = [
            models.CheckConstraint(condition=_one_unit(), name="indicator_target_one_unit"),
            models.CheckConstraint(condition=_aligned(), name="indicator_target_period_start"),
            models.UniqueConstraint(
                fields=["indicator", "area", "agency", "period_kind", "period_start"],
                nulls_distinct=False,
                name="indicator_target_once",
            ),
        ]


class PeriodReport(models.Model):
    """A unit's report of one period (a month's form): draft → submitted → approved, or returned to the
    unit with a reason and submitted again. Each move is logged by django-fsm-log (who, when, the
    comment as its description); the values of the unit and period take the matching status."""

    area = models.ForeignKey(
        "layers.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "layers.ResponsibleUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(max_length=7, choices=PERIOD_KINDS)
    period_start = models.DateField()
    status = FSMField(max_length=10, choices=REPORT_STATUSES, default="draft")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Báo cáo kỳ / Period report"
        constraints = [
            models.CheckConstraint(condition=_one_unit(), name="period_report_one_unit"),
            models.CheckConstraint(condition=_aligned(), name="period_report_period_start"),
            models.UniqueConstraint(
                fields=["area", "agency", "period_kind", "period_start"],
                nulls_distinct=False,
                name="period_report_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id or self.agency_id} {self.period_kind} {self.period_start}: {self.status}"

    # the moves: call with by=<user>, description=<comment>
    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=["draft", "returned"], target="submitted")
    def submit(self, by=None, description=None) -> None:
        """The unit sends its figures of the period."""
        self.submitted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source="submitted", target="approved")
    def approve(self, by=None, description=None) -> None:
        """A leader accepts the figures."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source="submitted", target="returned")
    def send_back(self, by=None, description=None) -> None:
        """A leader returns the figures to the unit, saying why."""
