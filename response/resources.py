"""The kinds of resource the nearest-by-road list offers, each a registry layer (narrowed by a filter):
declared once here, read by response.nearest and by the API's `kind` parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from layers.registry import Layer, registry


@dataclass(frozen=True)
class ResourceKind:
    """Features of `layer` (those `filter` keeps) offered as resources; `type_field`: their coded type."""

    code: str
    vi: str
    en: str
    layer_id: str
    type_field: str
    filter: Mapping[str, object] = field(default_factory=dict)

    @property
    def layer(self) -> Layer:
        return registry.get(self.layer_id)


RESOURCE_KINDS: dict[str, ResourceKind] = {kind.code: kind for kind in (
    ResourceKind("health", "Cơ sở y tế", "Health facilities", "health_facilities", "health_type"),
    ResourceKind("police", "Công an", "Police", "emergency_stations", "service", {"service": "police"}),
    ResourceKind("fire", "Cảnh sát PCCC và CNCH", "Fire and rescue", "emergency_stations", "service",
                 {"service": "fire"}),
)}
