"""Import targets: every registry layer, plus the restricted attribute tables beside them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model

from etl.errors import MappingError
from layers.registry import Layer, registry

GEOMETRY_FAMILIES = {
    "Point": ("Point",),
    "MultiPoint": ("Point", "MultiPoint"),
    "LineString": ("LineString",),
    "MultiLineString": ("LineString", "MultiLineString"),
    "Polygon": ("Polygon",),
    "MultiPolygon": ("Polygon", "MultiPolygon"),
}


@dataclass(frozen=True)
class Target:
    """Where an import writes: a model, its natural key and how coded columns resolve to ids."""

    name: str
    model_label: str
    key: tuple[str, ...] = ()
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    geometry_type: str | None = None
    defaults: dict[str, object] = field(default_factory=dict)
    cadastral: bool = False  # the cadastre's rules apply (layers.cadastre)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def accepted_geometry_types(self) -> tuple[str, ...]:
        return GEOMETRY_FAMILIES.get(self.geometry_type or "", ())

    @classmethod
    def from_layer(cls, layer: Layer) -> Target:
        lookups = {
            fk: ({"code": spec} if isinstance(spec, str) else dict(spec))
            for fk, spec in layer.lookups.items()
        }
        return cls(layer.id, layer.model, layer.key, lookups, layer.geometry_type, dict(layer.filter),
                   layer.cadastral)


# Personal data kept apart from the public layers; imported like layers, never published.
ATTRIBUTE_TABLES: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "parcel_owners",
            "layers.ParcelOwner",
            lookups={"parcel": {"ward__code": "ward_code", "sheet_no": "sheet_no",
                                "parcel_no": "parcel_no"}},
        ),
        Target(
            "citizen_reporters",
            "layers.CitizenReporter",
            key=("report",),
            lookups={"report": {"code": "report_code"}},
        ),
    )
}


def get_target(name: str) -> Target:
    """The import target called `name` (a layer id or an attribute table)."""
    if name in ATTRIBUTE_TABLES:
        return ATTRIBUTE_TABLES[name]
    if name in registry:
        return Target.from_layer(registry.get(name))
    known = ", ".join([*registry.ids(), *ATTRIBUTE_TABLES])
    raise MappingError(f"unknown layer {name!r}; choose one of: {known}")
