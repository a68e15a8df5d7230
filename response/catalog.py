"""The layers of incident response (imported by the layers app at start-up, as admin modules are): the
steps of incidents' responses, with the one overdue rule and its figures, and the police and fire and
rescue stations the nearest-resource list offers beside the health facilities."""

from layers.registry import Deadline, Kpi, Layer, Style, Workflow, registry
from response.vocabularies import EMERGENCY_SERVICE, STEP_STATUS, STEP_TRANSITIONS
from spatial.roles import ADMINISTRATOR, LEADER, OPERATOR, UNIT_STAFF

registry.register(Layer(
    id="incident_steps",
    demo=None,  # opened on the demo's incidents once units exist (democity.response.open_demo_responses)
    title_vi="Bước ứng phó sự cố",
    title_en="Incident response steps",
    description_vi="Các bước của quy trình ứng phó (SOP) của từng sự cố: ai phụ trách, hạn hoàn thành, "
                   "đã xong hay chưa, có trễ hạn không.",
    description_en="The steps of each incident's standard operating procedure: who is in charge, when each "
                   "is due, whether it is done and whether it is late.",
    model="response.IncidentStep",
    subsystem="operations",
    geometry_type="Point",
    time_field="opened_at",
    public_fields=(),
    restricted_fields=("code", "incident", "number", "title_vi", "title_en", "role", "unit", "status",
                       "opened_at", "due_at", "done_at", "done_by", "note"),
    labels={
        "incident": ("Sự cố", "Incident"),
        "number": ("Thứ tự bước", "Step number"),
        "title_vi": ("Nội dung bước", "Step"),
        "title_en": ("Nội dung bước (tiếng Anh)", "Step (English)"),
        "role": ("Vai trò phụ trách", "Role in charge"),
        "unit": ("Đơn vị phụ trách", "Unit in charge"),
        "opened_at": ("Thời điểm mở ứng phó", "Response opened at"),
        "due_at": ("Hạn hoàn thành", "Due at"),
        "done_at": ("Thời điểm hoàn thành", "Done at"),
        "done_by": ("Người hoàn thành", "Done by"),
        "note": ("Ghi chú khi hoàn thành", "Note on completion"),
    },
    public=False,
    read_roles=(OPERATOR.code, LEADER.code, UNIT_STAFF.code, ADMINISTRATOR.code),
    unit_field="unit",  # a unit's staff see their unit's steps only
    key=("code",),
    lookups={"incident": "incident_code", "unit": "unit_code"},
    workflow=Workflow(STEP_TRANSITIONS),
    deadline=Deadline(due="due_at", done="done_at"),
    kpis=(
        Kpi("steps_on_time", "Bước SOP đúng hạn", "SOP steps on time", kind="on_time", unit="%", scale=100),
        Kpi("steps_late", "Bước SOP trễ hạn", "SOP steps late", kind="overdue"),
    ),
    style=Style("circle", "#E17055", by="status", vocabulary=STEP_STATUS, always=("title_vi", "due_at")),
))

registry.register(Layer(
    id="emergency_stations",
    demo="democity.response:emergency_stations",
    title_vi="Trụ sở công an, PCCC và CNCH",
    title_en="Police and fire stations",
    description_vi="Trụ sở công an và cảnh sát phòng cháy chữa cháy, cứu nạn cứu hộ: nguồn lực gần nhất theo "
                   "đường đi khi ứng phó sự cố.",
    description_en="Police and fire and rescue stations: the resources offered, nearest by road, when an "
                   "incident is handled.",
    model="response.EmergencyStation",
    subsystem="security",
    geometry_type="Point",
    lookups={"ward": "ward_code"},
    public_fields=("code", "name", "address", "service", "hotline", "ward"),
    labels={"service": ("Lực lượng", "Service"), "hotline": ("Số điện thoại trực ban", "Duty phone")},
    edit_roles=(ADMINISTRATOR.code,),
    style=Style("circle", "#2D3436", by="service", vocabulary=EMERGENCY_SERVICE, always=("name",)),
))
