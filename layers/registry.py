"""The layer registry: the one place a layer is declared (see layers.catalog).

OGC collections, tile sources, styles, map views, statistics, importers and permissions are all
derived from the `Layer` records held here. Nothing else lists layers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps

from layers.vocabularies import Vocabulary

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet


class UnknownLayer(LookupError):
    """No layer with that id is registered."""

    status, code = 404, "NotFound"  # an HTTP answer of its own (spatial.error_responses)

    def __init__(self, layer_id: str, known: list[str]) -> None:
        super().__init__(f"unknown layer {layer_id!r}; known layers: {', '.join(known)}")
        self.layer_id = layer_id


DERIVED_FIELDS = frozenset({"area_m2", "version", "created_at", "updated_at"})
# What an editor can do to a feature: POST, PUT, PATCH and DELETE of the editing API.
WRITE_OPERATIONS = ("create", "replace", "update", "delete")


@dataclass(frozen=True)
class Subsystem:
    code: str
    vi: str
    en: str


SUBSYSTEMS: dict[str, Subsystem] = {
    s.code: s
    for s in (
        Subsystem("basemap", "Nền bản đồ", "Base map"),
        Subsystem("land", "Đất đai", "Land"),
        Subsystem("planning", "Quy hoạch", "Planning"),
        Subsystem("education", "Giáo dục", "Education"),
        Subsystem("health", "Y tế", "Health"),
        Subsystem("tourism", "Lưu trú và du lịch", "Lodging and tourism"),
        Subsystem("feedback", "Phản ánh kiến nghị", "Citizen feedback"),
        Subsystem("security", "An ninh trật tự", "Security incidents"),
        Subsystem("traffic", "Camera và giao thông", "Cameras and traffic"),
        Subsystem("environment", "Môi trường", "Environment"),
        Subsystem("public_services", "Dịch vụ công", "Public services"),
        Subsystem("indicators", "Chỉ tiêu kinh tế – xã hội", "Socio-economic indicators"),
    )
}


@dataclass(frozen=True)
class Metric:
    """A time series kept in layers.Observation for features of one layer."""

    code: str
    vi: str
    en: str
    unit: str
    period: str  # hour | day | month
    aggregate: str = "sum"  # how values combine over time and features: sum (counts) | avg (rates)


@dataclass(frozen=True)
class Style:
    """Default map style and tile rules: a geometry kind, a colour, optionally by a coded field.

    Tiles hold no features below `min_zoom`; below `detail_zoom` they carry only the id, the
    styled field, the time field and the `always` fields (labels, camera cones), so that a tile
    stays small; popups read the full feature from the OGC API. At most `max_features` per tile
    (the newest first for time-enabled layers).
    """

    kind: str  # fill | line | circle
    color: str
    by: str | None = None
    vocabulary: Vocabulary | None = None
    min_zoom: int = 0
    detail_zoom: int = 14
    always: tuple[str, ...] = ()
    max_features: int = 20_000


@dataclass(frozen=True)
class Layer:
    """One dataset published by the platform.

    Example: ``Layer(id="schools", title_vi="Trường học", title_en="Schools",
    model="layers.School", subsystem="education", geometry_type="Point", ...)``.
    """

    id: str
    title_vi: str
    title_en: str
    model: str
    subsystem: str
    geometry_type: str
    public_fields: tuple[str, ...]
    style: Style
    description_vi: str = ""
    description_en: str = ""
    time_field: str | None = None
    # "event": when it happened, filtered by the map's time control (incidents, detections);
    # "validity": from when it applies (a unit's valid_from, a plan's decision date), not filtered
    time_role: str = "event"
    restricted_fields: tuple[str, ...] = ()
    public: bool = True
    read_roles: tuple[str, ...] = ()
    edit_roles: tuple[str, ...] = ()
    edit_fields: tuple[str, ...] = ()  # what editors may write; empty: every editable public field
    # what editors (other than administrators) may do; ("update",): change the edit_fields only
    edit_operations: tuple[str, ...] = WRITE_OPERATIONS
    key: tuple[str, ...] = ("code",)
    filter: dict[str, object] = field(default_factory=dict)
    lookups: dict[str, str] = field(default_factory=dict)
    history: bool = False
    # a cadastre: split and merge with lineage, parcels inside their ward and not overlapping
    cadastral: bool = False
    # the status workflow: each status → the statuses an editor may move it to (None: any choice)
    workflow: Mapping[str, frozenset[str]] | None = None
    metrics: tuple[Metric, ...] = ()
    geometry_field: str = "geom"

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def in_time_window(self) -> bool:
        """Whether the time control narrows this layer (its time field is an event time)."""
        return self.time_field is not None and self.time_role == "event"

    @property
    def is_event(self) -> bool:
        """Whether features are point events in time (incidents, reports, detections): the live feed."""
        return self.geometry_type == "Point" and self.in_time_window

    @property
    def table(self) -> str:
        return self.model_class._meta.db_table

    def queryset(self) -> QuerySet:
        """All features of the layer (the model's rows narrowed by the layer's filter)."""
        return self.model_class._default_manager.filter(**self.filter)

    @property
    def writable_fields(self) -> tuple[str, ...]:
        """The properties an editor may set (never derived ones such as area, version, timestamps)."""
        if self.edit_fields:
            return self.edit_fields
        model = self.model_class
        return tuple(name for name in self.public_fields
                     if model._meta.get_field(name).editable and name not in DERIVED_FIELDS)

    @property
    def geometry_editable(self) -> bool:
        """Whether editors may change the geometry (not when only some attributes are editable)."""
        return not self.edit_fields or self.geometry_field in self.edit_fields

    def metric(self, code: str) -> Metric:
        for metric in self.metrics:
            if metric.code == code:
                return metric
        raise KeyError(f"layer {self.id!r} has no metric {code!r}")


class LayerRegistry:
    """Holds the declared layers in declaration order."""

    def __init__(self) -> None:
        self._layers: dict[str, Layer] = {}

    def register(self, layer: Layer) -> Layer:
        if layer.id in self._layers:
            raise ValueError(f"layer {layer.id!r} is declared twice")
        if layer.subsystem not in SUBSYSTEMS:
            raise ValueError(f"layer {layer.id!r}: unknown subsystem {layer.subsystem!r}")
        if unknown := sorted(set(layer.edit_operations) - set(WRITE_OPERATIONS)):
            raise ValueError(f"layer {layer.id!r}: unknown edit operations {unknown}; "
                             f"use some of {', '.join(WRITE_OPERATIONS)}")
        self._layers[layer.id] = layer
        return layer

    def get(self, layer_id: str) -> Layer:
        try:
            return self._layers[layer_id]
        except KeyError:
            raise UnknownLayer(layer_id, list(self._layers)) from None

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._layers.values())

    def __contains__(self, layer_id: object) -> bool:
        return layer_id in self._layers

    def ids(self) -> list[str]:
        return list(self._layers)

    def for_model(self, model: type[Model]) -> list[Layer]:
        label = model._meta.label
        return [layer for layer in self if layer.model == label]


registry = LayerRegistry()
