"""Code lists of alerts: the CAP 1.2 codes (severity, urgency, certainty, category) with Vietnamese and
English labels and legend colours, the statuses of an alert and the kinds of rule."""

from __future__ import annotations

from layers.vocabularies import Term, Vocabulary

# CAP 1.2 <severity>, most severe first; colours after the QĐ 18/2021 risk levels (red, orange, yellow)
SEVERITY = Vocabulary(
    "alert_severity",
    Term("Extreme", "Đặc biệt nghiêm trọng", "Extreme", "#7E0023"),
    Term("Severe", "Nghiêm trọng", "Severe", "#D63031"),
    Term("Moderate", "Trung bình", "Moderate", "#E17055"),
    Term("Minor", "Nhẹ", "Minor", "#FDCB6E"),
    Term("Unknown", "Chưa rõ", "Unknown", "#B2BEC3"),
)
# the order used by "at least this severe" (subscriptions, quiet hours): Unknown is the least
SEVERITY_RANK = {"Unknown": 0, "Minor": 1, "Moderate": 2, "Severe": 3, "Extreme": 4}

URGENCY = Vocabulary(
    "alert_urgency",
    Term("Immediate", "Khẩn cấp", "Immediate"),
    Term("Expected", "Sắp xảy ra", "Expected"),
    Term("Future", "Có thể xảy ra", "Future"),
    Term("Past", "Đã qua", "Past"),
    Term("Unknown", "Chưa rõ", "Unknown"),
)

CERTAINTY = Vocabulary(
    "alert_certainty",
    Term("Observed", "Đã quan sát", "Observed"),
    Term("Likely", "Nhiều khả năng", "Likely"),
    Term("Possible", "Có thể", "Possible"),
    Term("Unlikely", "Ít khả năng", "Unlikely"),
    Term("Unknown", "Chưa rõ", "Unknown"),
)

CAP_CATEGORY = Vocabulary(
    "cap_category",
    Term("Geo", "Địa chất", "Geophysical"),
    Term("Met", "Khí tượng, thủy văn", "Meteorological"),
    Term("Safety", "An toàn", "Safety"),
    Term("Security", "An ninh", "Security"),
    Term("Rescue", "Cứu nạn", "Rescue"),
    Term("Fire", "Cháy, nổ", "Fire"),
    Term("Health", "Y tế", "Health"),
    Term("Env", "Môi trường", "Environment"),
    Term("Transport", "Giao thông", "Transport"),
    Term("Infra", "Hạ tầng", "Infrastructure"),
    Term("CBRNE", "Hóa, sinh, phóng xạ, hạt nhân, nổ", "CBRNE"),
    Term("Other", "Khác", "Other"),
)

ALERT_STATUS = Vocabulary(
    "alert_status",
    Term("open", "Đang cảnh báo", "Open", "#D63031"),
    Term("acknowledged", "Đã xác nhận", "Acknowledged", "#E17055"),
    Term("cleared", "Đã kết thúc", "Cleared", "#B2BEC3"),
)
ACTIVE = ("open", "acknowledged")  # the condition still holds: one such alert per rule and subject
# the workflow: an operator acknowledges an open alert; the evaluation clears it when the condition ends
ALERT_MOVES = {"open": ("acknowledged", "cleared"), "acknowledged": ("cleared",), "cleared": ()}

RULE_KIND = Vocabulary(
    "alert_rule_kind",
    Term("threshold", "Vượt ngưỡng", "Threshold"),
    Term("count", "Số sự kiện", "Event count"),
    Term("silence", "Mất dữ liệu", "No data"),
    Term("zone", "Sự kiện vùng camera", "Camera zone event"),
    Term("stale", "Dữ liệu trễ hạn", "Late data"),
)

# threshold comparisons: code → (SQL operator, vi, en)
COMPARISONS = {
    "gt": (">", "lớn hơn", "above"),
    "ge": (">=", "từ", "at or above"),
    "lt": ("<", "nhỏ hơn", "below"),
    "le": ("<=", "đến", "at or below"),
}

# how a count rule groups its events
GROUPING = Vocabulary(
    "alert_grouping",
    Term("radius", "Trong bán kính", "Within a radius"),
    Term("ward", "Trong một phường/xã", "In one ward"),
    Term("h3", "Trong một ô lục giác H3", "In one H3 cell"),
)
H3_RESOLUTIONS = range(5, 11)  # a count rule's cells: 252 km² (5) … 0.015 km² (10)

# the incident an alert calls for when its rule names none: by CAP category, and the incident severity
# of a CAP severity (layers.vocabularies.INCIDENT_CATEGORY, SEVERITY)
INCIDENT_OF_CAP_CATEGORY = {"Fire": "fire", "Transport": "traffic_accident", "Met": "flood", "Geo": "flood",
                            "Security": "public_order", "Safety": "public_order", "Infra": "infrastructure"}
INCIDENT_SEVERITY_OF_CAP = {"Extreme": "critical", "Severe": "high", "Moderate": "medium", "Minor": "low",
                            "Unknown": "medium"}
