"""Code lists of incident response (vi/en, legend colours): step statuses, log entries, emergency
services."""

from __future__ import annotations

from types import MappingProxyType

from layers.vocabularies import Term, Vocabulary

STEP_STATUS = Vocabulary(
    "step_status",
    Term("todo", "Cần làm", "To do", "#E84393"),
    Term("done", "Đã xong", "Done", "#A3CB38"),
)
# a step is done once (a second completion is refused: 409); done is closed, never late unless done late
STEP_TRANSITIONS = MappingProxyType({"todo": frozenset({"done"}), "done": frozenset()})

LOG_KIND = Vocabulary(
    "log_kind",
    Term("opened", "Mở ứng phó sự cố", "Response opened"),
    Term("step_done", "Hoàn thành bước", "Step completed"),
    Term("note", "Ghi chú", "Note"),
)

EMERGENCY_SERVICE = Vocabulary(
    "emergency_service",
    Term("police", "Công an", "Police", "#2D3436"),
    Term("fire", "Cảnh sát PCCC và CNCH", "Fire and rescue", "#8E44AD"),
)
