"""The layer registry: the one place a layer is declared (see layers.catalog).

OGC collections, tile sources, styles, map views, statistics, importers and permissions are all
derived from the `Layer` records held here. Nothing else lists layers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import F, Q
from psycopg import sql

from layers.labels import FIELD_LABELS
from layers.search import Search
from layers.vocabularies import Vocabulary

if TYPE_CHECKING:
    from datetime import datetime

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
        Subsystem("operations", "Chỉ đạo, điều hành", "Operations"),  # alerts, incidents' SOPs, directives
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
    unit_en: str = ""  # the unit in English when it is not the same ("triệu đồng": "million VND")


@dataclass(frozen=True)
class Workflow:
    """The statuses a feature moves through, and who may move it.

    `transitions` maps each status to the statuses an editor may move it to; a status with none
    is closed (resolved, rejected). `roles`: who may move it (empty: the layer's editors).
    `reopenable`: statuses that are closed although a move leaves them (a resolved report its citizen
    reopens).
    """

    transitions: Mapping[str, frozenset[str]]
    field: str = "status"
    roles: tuple[str, ...] = ()
    reopenable: tuple[str, ...] = ()

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    @property
    def closed(self) -> tuple[str, ...]:
        """The final statuses: nothing follows them but a reopening."""
        return tuple(status for status, following in self.transitions.items()
                     if not following or status in self.reopenable)

    def allows(self, before: str, after: str) -> bool:
        return after == before or after in self.transitions.get(before, frozenset())


@dataclass(frozen=True)
class Deadline:
    """When a feature is overdue: the one rule the map rings and the KPI panel counts.

    Late = still open (no `done` time and not in a closed status of the workflow) past its `due`
    time now, or done after its `due` time.
    """

    due: str = "due_at"
    done: str = "resolved_at"

    def late(self, workflow: Workflow, now: datetime) -> Q:
        """The rule as an ORM filter at `now` (the same rule as the KPI's SQL and the map's expression)."""
        still_open = (Q(**{f"{self.done}__isnull": True, f"{self.due}__lt": now})
                      & ~Q(**{f"{workflow.field}__in": workflow.closed}))
        return still_open | Q(**{f"{self.done}__gt": F(self.due)})


@dataclass(frozen=True)
class EditorRules:
    """How editing guards a layer's features (the editing API and the map's editor ask the layer).

    `confirm_area_change`: a reshaping that changes the area by more than this share (0.2: 20 %)
    is shown with the old and the new area and needs the editor's confirmation before it is saved.
    `ward_from_shape`: the feature's ward is the commune holding its shape (in the administrative
    structure of its stored ward), never typed: a different ward sent by a client is refused.
    """

    confirm_area_change: float | None = None
    ward_from_shape: bool = False

    def __post_init__(self) -> None:
        if self.confirm_area_change is not None and not 0 < self.confirm_area_change:
            raise ValueError(f"confirm_area_change must be a share above 0, not {self.confirm_area_change}")


# The named renderings a style may ask of the map wall, with the fields each reads.
RENDERERS: dict[str, tuple[str, ...]] = {
    "fov_cones": ("bearing_deg", "fov_deg", "range_m"),  # camera fields of view
    "density": (),  # a colour ramp on the first `always` field (a count)
}

# What a KPI computes over the features of its layer in the chosen area and time window.
KPI_KINDS = ("count", "sum", "mean", "overdue", "metric", "on_time", "median_hours")


@dataclass(frozen=True)
class Kpi:
    """A figure of the KPI panel (/api/stats): its key there, its labels and what it computes.

    - ``count``: the features (in `statuses` of the workflow, if given);
    - ``sum``: the sum of `field`; ``mean``: its average over the features that have one;
    - ``overdue``: the features late by the layer's Deadline;
    - ``metric``: the layer's metric `field` over the window (its aggregate);
    - ``on_time``: the share (0–1) of the features done (the Deadline's `done` set) that were done
      by their `due` time;
    - ``median_hours``: the median hours from the layer's time field to the Deadline's `done`.
    With `by` (a coded field), one figure per code of that field's vocabulary.
    `scale` and `unit` say how the panel shows the value (area in m² shown in ha: 0.0001, "ha").
    """

    code: str
    vi: str
    en: str
    kind: str = "count"
    field: str | None = None
    by: str | None = None
    statuses: tuple[str, ...] = ()
    unit: str = ""
    scale: float = 1.0


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
    # named extra renderings the map wall applies (web_map/frontend/src/enhance.js RENDERERS):
    # "fov_cones" (camera fields of view), "density" (a ramp on the count field)
    renderers: tuple[str, ...] = ()
    # the label drawn on each feature, a template over its fields: "{sheet_no}/{parcel_no}" (parcels);
    # None: its name when `always` carries one
    label: str | None = None


@dataclass(frozen=True)
class Priority:
    """Which new events of a layer must never be missed: those whose `field` holds one of `pinned` are
    pinned on the map wall (top of the events column, a pulsing marker, a sound) until an operator
    acknowledges them, for at most `hours` after their time (older ones are the layer's history) and
    while they are not settled (`status` in `settled`, or the layer's workflow's closed statuses);
    `vocabulary` labels and colours the values."""

    field: str
    pinned: tuple[str, ...]
    vocabulary: Vocabulary
    hours: int = 24
    status: str | None = None
    settled: tuple[str, ...] = ()


# how often a layer's data is expected to be confirmed current (Layer.cadence), and the grace after it
CADENCES: dict[str, timedelta] = {"hourly": timedelta(hours=1), "daily": timedelta(days=1),
                                  "weekly": timedelta(days=7), "monthly": timedelta(days=31),
                                  "quarterly": timedelta(days=92), "yearly": timedelta(days=366)}
CADENCE_GRACE = 0.25  # a quarter of the cadence more before a layer is late


@dataclass(frozen=True)
class SmallCounts:
    """Counts too small to publish to users who are not signed in (statistical disclosure control).

    For anonymous users a value of `fields` from 1 to `below` - 1 leaves the server as the text
    "< 5" (OGC items, tiles, KPIs); 0 and larger values stay numbers. `rates` maps a field computed
    from a count (an incidence) to that count: it is null whenever its count is hidden, so it cannot
    give the count back. A sum of counts (a KPI, a week of a trend) of `below` or more is rounded to the
    nearest multiple of `below` for them, so subtracting one shown sum from another (the city's less a
    commune's) does not give a hidden count back. Signed-in users who may read the layer see the real
    figures.
    Example: ``SmallCounts(fields=("new_cases", "cases_7d"), rates={"incidence_7d": "cases_7d"})``.
    """

    fields: tuple[str, ...]
    below: int = 5
    rates: Mapping[str, str] = field(default_factory=dict)

    @property
    def marker(self) -> str:
        """What a hidden count is shown as: "< 5"."""
        return f"< {self.below}"

    def covers(self, name: str) -> bool:
        return name in self.fields or name in self.rates

    def hides(self, value: object) -> bool:
        """Whether a count is hidden (1 ≤ value < below)."""
        return isinstance(value, int | float) and 0 < value < self.below

    def shown(self, value: object) -> object:
        """A count as anonymous users get it: the marker when hidden, else the value."""
        return self.marker if self.hides(value) else value

    def shown_sum(self, value: object) -> object:
        """A sum of counts as anonymous users get it: the marker when hidden, else rounded to the nearest
        multiple of `below` (half up): 7 → 5, 8 → 10."""
        if self.hides(value) or not isinstance(value, int | float):
            return self.shown(value)
        return int(value / self.below + 0.5) * self.below

    def sql_value(self, name: str, column: Callable[[str], sql.Composable]) -> sql.Composable:
        """`name`'s value as anonymous users get it, as jsonb (a number, or the marker; a rate null when
        its count is hidden), `column` giving a field's SQL column (OGC items and tiles write it)."""
        count = column(self.rates.get(name, name))
        hidden = sql.Literal(self.marker) if name in self.fields else sql.SQL("NULL")
        return sql.SQL("CASE WHEN {count} > 0 AND {count} < {below} THEN to_jsonb({hidden}::text) "
                       "ELSE to_jsonb({value}) END").format(count=count, below=sql.Literal(self.below),
                                                            hidden=hidden, value=column(name))


WALL_PANELS = ("desk", "alarms", "incident", "directives")  # the map wall's side panels (Layer.panel)


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
    workflow: Workflow | None = None
    editor: EditorRules = field(default_factory=EditorRules)  # area change to confirm, ward from shape
    deadline: Deadline | None = None  # needs a workflow: its closed statuses are never late
    kpis: tuple[Kpi, ...] = ()
    metrics: tuple[Metric, ...] = ()
    geometry_field: str = "geom"
    # the foreign key to layers.ResponsibleUnit naming who handles a feature: unit staff see and act
    # on the features of their units only (spatial.access.Viewer.unit_scope)
    unit_field: str | None = None
    # field labels of this layer, {field: (vi, en)}, over the shared ones of layers.labels
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # the demo city's generator of this layer's features, "module:function" (loaded by democity)
    demo: str | None = None
    # how the map's search box finds its features (layers.search); None: not searched
    search: Search | None = None
    # the map wall's side panel that works on this layer's features (one layer per panel): "desk"
    # (citizen feedback), "alarms" (pinned alerts), "incident" (response and SOP), "directives"
    panel: str | None = None  # one of WALL_PANELS
    # new events the wall pins until acknowledged (incidents of high and critical severity)
    priority: Priority | None = None
    # the foreign key by which the wall's ticker counts this layer's events per minute instead of
    # listing each one (detections: per camera); its target's name labels the count
    ticker_group: str | None = None
    # how often the data is expected to be confirmed current ("Sống"): one of CADENCES; None: not watched
    cadence: str | None = None
    # counts shown as "< 5" to anonymous users on every path (OGC, tiles, KPIs): SmallCounts
    small_counts: SmallCounts | None = None

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
        derived = DERIVED_FIELDS | ({"ward"} if self.editor.ward_from_shape else set())
        if self.edit_fields:
            return tuple(name for name in self.edit_fields if name not in derived)
        model = self.model_class
        return tuple(name for name in self.public_fields
                     if model._meta.get_field(name).editable and name not in derived)

    @property
    def geometry_editable(self) -> bool:
        """Whether editors may change the geometry (not when only some attributes are editable)."""
        return not self.edit_fields or self.geometry_field in self.edit_fields

    def label(self, name: str, language: str = "vi") -> str:
        """A field's label: the layer's own, else the shared one; KeyError when neither exists
        (the start-up check layers.E003 names the layer and the field first)."""
        vi_en = self.labels.get(name) or FIELD_LABELS[name]
        return vi_en[1] if language == "en" else vi_en[0]

    def has_label(self, name: str) -> bool:
        return all(self.labels.get(name) or FIELD_LABELS.get(name) or ("", ""))

    @property
    def tile_fields(self) -> tuple[str, ...]:
        """The fields tiles carry at every zoom: the styled one, the always ones and what the
        deadline rule reads (so the map can ring late features at any zoom)."""
        needed = [self.style.by, *self.style.always]
        if self.deadline is not None and self.workflow is not None:
            needed += [self.workflow.field, self.deadline.due, self.deadline.done]
        return tuple(dict.fromkeys(name for name in needed if name))

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

    def unregister(self, layer_id: str) -> None:
        """Remove a layer (tests that declare a throwaway one)."""
        self._layers.pop(layer_id, None)

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
