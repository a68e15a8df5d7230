"""The alerts layer: every alert a rule raised, a point event in time (the live feed announces each one
opened), styled by CAP severity, with its workflow (open → acknowledged → cleared) and its figures."""

from alerts.vocabularies import ALERT_MOVES, SEVERITY
from layers.registry import Kpi, Layer, Style, Workflow, registry
from spatial.roles import ADMINISTRATOR, LEADER, OPERATOR

registry.register(Layer(
    id="alerts",
    panel="alarms",
    demo=None,  # raised by the demo's own rules when it is loaded (democity.alerts)
    title_vi="Cảnh báo",
    title_en="Alerts",
    description_vi="Cảnh báo tự động theo quy tắc: vượt ngưỡng quan trắc, cụm sự cố, mất dữ liệu, sự kiện "
                   "vùng camera; mức độ, tính khẩn cấp và độ chắc chắn theo CAP 1.2.",
    description_en="Automatic alerts raised by rules: monitoring thresholds, clusters of incidents, missing "
                   "data, camera zone events; severity, urgency and certainty after CAP 1.2.",
    model="alerts.Alert",
    subsystem="operations",
    geometry_type="Point",
    time_field="opened_at",
    public_fields=("code", "title", "title_en", "kind", "severity", "urgency", "certainty", "category",
                   "status", "opened_at", "acknowledged_at", "cleared_at", "ack_minutes", "value", "rule",
                   "rule_version", "source_layer", "radius_m", "ward"),
    labels={
        "title_en": ("Tiêu đề tiếng Anh", "English title"),
        "kind": ("Loại quy tắc", "Rule kind"),
        "urgency": ("Tính khẩn cấp", "Urgency"),
        "certainty": ("Độ chắc chắn", "Certainty"),
        "category": ("Lĩnh vực (CAP)", "Category (CAP)"),
        "opened_at": ("Thời điểm cảnh báo", "Opened at"),
        "acknowledged_at": ("Thời điểm xác nhận", "Acknowledged at"),
        "cleared_at": ("Thời điểm kết thúc", "Cleared at"),
        "ack_minutes": ("Thời gian đến khi xác nhận (phút)", "Minutes to acknowledge"),
        "value": ("Giá trị ghi nhận", "Value observed"),
        "rule": ("Quy tắc", "Rule"),
        "rule_version": ("Phiên bản quy tắc", "Rule version"),
        "source_layer": ("Lớp nguồn", "Source layer"),
        "radius_m": ("Bán kính vùng cảnh báo (m)", "Alert radius (m)"),
    },
    public=False,
    read_roles=(OPERATOR.code, LEADER.code, ADMINISTRATOR.code),
    workflow=Workflow({status: frozenset(targets) for status, targets in ALERT_MOVES.items()}),
    kpis=(
        Kpi("alerts_by_severity", "Cảnh báo theo mức độ", "Alerts by severity", by="severity"),
        Kpi("alerts_open", "Cảnh báo chưa kết thúc", "Alerts not cleared", statuses=("open", "acknowledged")),
        Kpi("alerts_ack_minutes", "Thời gian xác nhận trung bình", "Mean time to acknowledge", kind="mean",
            field="ack_minutes", unit="phút"),
    ),
    style=Style("circle", "#D63031", by="severity", vocabulary=SEVERITY, always=("title", "status")),
))
