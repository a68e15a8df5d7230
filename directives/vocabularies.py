"""The code lists of directives and the one table of their moves (the django-fsm transitions of
directives.models.Directive and the registry's Workflow are both generated from DIRECTIVE_MOVES)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.vocabularies import Term, Vocabulary

# issued → acknowledged → in progress (reported on again and again) → done; or cancelled by a leader
DIRECTIVE_STATUS = Vocabulary(
    "directive_status",
    Term("issued", "Đã giao", "Issued", "#6C5CE7"),
    Term("acknowledged", "Đã tiếp nhận", "Acknowledged", "#0984E3"),
    Term("in_progress", "Đang thực hiện", "In progress", "#74B9FF"),
    Term("done", "Đã hoàn thành", "Done", "#00B894"),
    Term("cancelled", "Đã hủy", "Cancelled", "#636E72"),
)

# the degree of urgency written on an administrative document (độ khẩn)
DIRECTIVE_PRIORITY = Vocabulary(
    "directive_priority",
    Term("normal", "Thường", "Normal", "#0984E3"),
    Term("urgent", "Khẩn", "Urgent", "#E17055"),
    Term("very_urgent", "Thượng khẩn", "Very urgent", "#D63031"),
)

# field labels (vi, en): the layer's labels and the model's verbose names
DIRECTIVE_LABELS: dict[str, tuple[str, str]] = {
    "code": ("Số hiệu chỉ đạo", "Directive number"),
    "batch": ("Số hiệu văn bản chỉ đạo", "Directive reference"),
    "unit": ("Đơn vị thực hiện", "Unit in charge"),
    "issued_by": ("Người giao", "Issued by"),
    "title": ("Trích yếu", "Subject"),
    "text": ("Nội dung chỉ đạo", "Directive text"),
    "priority": ("Độ khẩn", "Urgency"),
    "status": ("Trạng thái", "Status"),
    "issued_at": ("Thời điểm giao", "Issued at"),
    "due_at": ("Hạn hoàn thành", "Due at"),
    "acknowledged_at": ("Thời điểm tiếp nhận", "Acknowledged at"),
    "done_at": ("Thời điểm hoàn thành", "Done at"),
    "escalated_at": ("Thời điểm báo cáo quá hạn", "Escalated at"),
    "incident": ("Sự cố liên quan", "Related incident"),
    "report": ("Phản ánh liên quan", "Related citizen report"),
    "alert_id": ("Cảnh báo liên quan", "Related alert"),
}

UNIT, LEADER = "unit", "leader"  # who makes a move: the unit's own staff, or a leader


@dataclass(frozen=True)
class DirectiveMove:
    """One named move of a directive: from any of `sources` to `target`, made `by` the unit or a leader.

    `note`: the argument carrying the move's text (logged as its description), required when
    `note_required`; `photos`: evidence photos may come with it, at least one when `evidence`.
    `vi`, `en`: the button's label.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    by: str
    note: str = "note"
    note_required: bool = False
    photos: bool = False
    evidence: bool = False
    vi: str = ""
    en: str = ""


DIRECTIVE_MOVES: tuple[DirectiveMove, ...] = (
    DirectiveMove("acknowledge", ("issued",), "acknowledged", UNIT, vi="Xác nhận đã nhận", en="Acknowledge"),
    DirectiveMove("progress", ("acknowledged", "in_progress"), "in_progress", UNIT, note_required=True,
                  photos=True, vi="Báo cáo tiến độ", en="Report progress"),
    DirectiveMove("done", ("acknowledged", "in_progress"), "done", UNIT, note_required=True, photos=True,
                  evidence=True, vi="Báo cáo hoàn thành", en="Report done"),
    DirectiveMove("cancel", ("issued", "acknowledged", "in_progress"), "cancelled", LEADER, note="reason",
                  note_required=True, vi="Hủy chỉ đạo", en="Cancel"),
)
MOVES_BY_NAME = {move.name: move for move in DIRECTIVE_MOVES}

DIRECTIVE_TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(move.target for move in DIRECTIVE_MOVES if status in move.sources)
    for status in DIRECTIVE_STATUS.codes
}
