"""What a rule names, checked against the layer registry: each problem keyed by the rule's field, in
Vietnamese and English (the admin form shows it beside the field; evaluation skips a broken rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey

from alerts.vocabularies import H3_RESOLUTIONS
from layers.registry import Layer, UnknownLayer, registry

if TYPE_CHECKING:
    from alerts.models import AlertRule

FILTER_VALUE_TYPES = (str, int, float, bool)


def layer_of(layer_id: str) -> Layer | None:
    """The registry's layer `layer_id`, None when there is none."""
    try:
        return registry.get(layer_id)
    except UnknownLayer:
        return None


def link_field(source: Layer, watched: Layer) -> str | None:
    """The foreign key of `source`'s events naming a feature of `watched` (detections.camera → cameras)."""
    target = watched.model_class
    for field in source.model_class._meta.concrete_fields:
        if isinstance(field, ForeignKey) and field.related_model is target:
            return field.name
    return None


def _filter_problems(rule: AlertRule, layer: Layer) -> list[str]:
    if not isinstance(rule.filters, dict):
        return ['gửi một đối tượng {"trường": giá trị} / give an object {"field": value}']
    found = []
    declared = {*layer.public_fields, *layer.restricted_fields}
    for name, value in rule.filters.items():
        try:
            field = layer.model_class._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or name not in declared:
            found.append(f"lớp {layer.id} không có trường {name!r} / layer {layer.id} has no field {name!r}")
            continue
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, FILTER_VALUE_TYPES) for v in values):
            found.append(f"{name}: một giá trị hoặc danh sách giá trị / one value or a list of values")
            continue
        codes = {str(code) for code, _label in field.flatchoices}
        if codes and (unknown := sorted({str(v) for v in values} - codes)):
            found.append(f"{name}: không có mã {unknown} / unknown codes {unknown}; codes: {sorted(codes)}")
    return found


def _metric_problem(rule: AlertRule, layer: Layer) -> str | None:
    if rule.metric not in {metric.code for metric in layer.metrics}:
        known = ", ".join(metric.code for metric in layer.metrics) or "—"
        return f"lớp {layer.id} không có chỉ số {rule.metric!r} / layer {layer.id} has no metric " \
               f"{rule.metric!r} (metrics: {known})"
    return None


def _threshold(rule: AlertRule, layer: Layer) -> dict[str, str]:
    found = {}
    if problem := _metric_problem(rule, layer):
        found["metric"] = problem
    if rule.threshold is None:
        found["threshold"] = "cần một ngưỡng / give a threshold"
    if rule.readings < 1:
        found["readings"] = "ít nhất 1 lần đo / at least 1 reading"
    return found


def _events(rule: AlertRule, layer: Layer) -> dict[str, str]:
    if not layer.in_time_window or layer.geometry_type != "Point":
        return {"layer": f"lớp {layer.id} không phải lớp sự kiện (điểm có thời gian) / "
                         f"layer {layer.id} is not an event layer (points in time)"}
    return {}


def _count(rule: AlertRule, layer: Layer) -> dict[str, str]:
    found = _events(rule, layer)
    if rule.min_count < 1:
        found["min_count"] = "ít nhất 1 sự kiện / at least 1 event"
    if rule.grouping == "radius" and not (rule.radius_m and rule.radius_m > 0):
        found["radius_m"] = "cần bán kính (m) khi gom theo bán kính / give the radius in metres"
    if rule.grouping == "h3" and rule.h3_resolution not in H3_RESOLUTIONS:
        least, most = H3_RESOLUTIONS[0], H3_RESOLUTIONS[-1]
        found["h3_resolution"] = (f"cần độ phân giải H3 từ {least} đến {most} / give an H3 resolution "
                                  f"from {least} to {most}")
    return found


def _silence(rule: AlertRule, layer: Layer) -> dict[str, str]:
    found = {}
    if not rule.silence_minutes:
        found["silence_minutes"] = "cần số phút mất dữ liệu / give the minutes of silence"
    if bool(rule.metric) == bool(rule.source_layer):
        found["metric"] = "chọn một chỉ số hoặc một lớp sự kiện / give a metric or an event layer, not both"
    elif rule.metric and (problem := _metric_problem(rule, layer)):
        found["metric"] = problem
    elif rule.source_layer:
        source = layer_of(rule.source_layer)
        if source is None or not source.in_time_window:
            found["source_layer"] = f"{rule.source_layer!r} không phải lớp sự kiện / is not an event layer"
        elif link_field(source, layer) is None:
            found["source_layer"] = f"sự kiện của {source.id} không ghi đối tượng của {layer.id} / " \
                                    f"events of {source.id} name no feature of {layer.id}"
    return found


def _stale(rule: AlertRule, layer: Layer) -> dict[str, str]:
    if layer.cadence is None:
        return {"layer": f"lớp {layer.id} không khai báo chu kỳ cập nhật / "
                         f"layer {layer.id} declares no cadence"}
    return {}


CHECKS = {"threshold": _threshold, "count": _count, "silence": _silence, "zone": _events, "stale": _stale}


def problems(rule: AlertRule) -> dict[str, str]:
    """{rule field: what is wrong}, empty for a rule that can be evaluated."""
    layer = layer_of(rule.layer)
    if layer is None:
        return {"layer": f"không có lớp {rule.layer!r} / no layer {rule.layer!r}; "
                         f"layers: {', '.join(registry.ids())}"}
    if rule.kind not in CHECKS:
        return {"kind": f"loại {rule.kind!r} không có / unknown kind {rule.kind!r}"}
    found = CHECKS[rule.kind](rule, layer)
    if rule.opens_incident and not rule.incident_category:
        found["incident_category"] = "chọn loại sự cố sẽ mở / give the category of the incident to open"
    if filter_problems := _filter_problems(rule, layer):
        found["filters"] = "; ".join(filter_problems)
    return found
