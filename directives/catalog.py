"""The declaration of the directives layer (imported by the layers app at start-up, as admin modules are):
its workflow, its one overdue rule, its figures and who reads it; a unit's staff see their unit's only."""

from directives.vocabularies import DIRECTIVE_LABELS, DIRECTIVE_STATUS, DIRECTIVE_TRANSITIONS
from layers.registry import Deadline, Kpi, Layer, Style, Workflow, registry
from spatial.roles import ADMINISTRATOR, LEADER, OPERATOR, UNIT_STAFF

OPEN = ("issued", "acknowledged", "in_progress")

registry.register(Layer(
    id="directives",
    panel="directives",
    demo="democity.directives:directives",
    title_vi="Chỉ đạo của lãnh đạo",
    title_en="Leaders' directives",
    description_vi="Chỉ đạo giao cho từng đơn vị kèm thời hạn: tiếp nhận, báo cáo tiến độ, hoàn thành có "
                   "minh chứng; chỉ đạo quá hạn được báo cáo lãnh đạo.",
    description_en="Directives given to units with a deadline: acknowledged, reported on and closed with "
                   "evidence; overdue ones are escalated to the leader.",
    model="directives.Directive",
    subsystem="operations",
    geometry_type="Point",
    time_field="issued_at",
    lookups={"ward": "ward_code", "unit": "unit_code", "report": "report_code", "incident": "incident_code"},
    public_fields=("code", "batch", "title", "text", "priority", "status", "unit", "ward", "issued_at",
                   "due_at", "acknowledged_at", "done_at", "escalated_at", "incident", "report", "alert_id"),
    labels=DIRECTIVE_LABELS,
    public=False,
    read_roles=(OPERATOR.code, UNIT_STAFF.code, LEADER.code, ADMINISTRATOR.code),
    unit_field="unit",  # a unit's staff see and work their unit's directives only
    workflow=Workflow(DIRECTIVE_TRANSITIONS),
    deadline=Deadline(due="due_at", done="done_at"),
    kpis=(
        Kpi("directives_open", "Chỉ đạo đang thực hiện", "Directives open", statuses=OPEN),
        Kpi("directives_late", "Chỉ đạo quá hạn", "Directives late", kind="overdue"),
        Kpi("directives_on_time", "Chỉ đạo hoàn thành đúng hạn", "Directives done on time", kind="on_time",
            unit="%", scale=100),
        Kpi("directives_median_hours", "Thời gian hoàn thành (trung vị)", "Median time to done",
            kind="median_hours", unit="giờ"),
        Kpi("directives_by_status", "Chỉ đạo theo trạng thái", "Directives by status", by="status"),
    ),
    history=True,
    style=Style("circle", "#6C5CE7", by="status", vocabulary=DIRECTIVE_STATUS, always=("title",)),
))
