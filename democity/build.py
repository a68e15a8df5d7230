"""Build every dataset of the demo city in memory, in load order (geometry in the city frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from democity import observations, owners
from democity.city import City, build_city
from democity.layers import Context
from layers.catalog import registry
from layers.hooks import load_hook
from layers.registry import Layer as RegistryLayer


@dataclass
class Layer:
    frame: pd.DataFrame
    multi: str | None = None  # promote geometries to this multi type when writing


@dataclass
class Demo:
    city: City
    layers: dict[str, Layer] = field(default_factory=dict)  # layer id → features, in load order
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # CSV name → rows


def _layer(layer: RegistryLayer, ctx: Context) -> Layer:
    """One declared layer's features, from the generator its declaration names."""
    frame = load_hook(layer.demo)(ctx)
    return Layer(frame, layer.geometry_type if layer.geometry_type.startswith("Multi") else None)


def build_demo(today: date, seed: int = 2025) -> Demo:
    """All layers and tables of the demo city for a seed and a 'today': every registry layer that
    names a demo generator, in declaration order (the load order), then the tables."""
    city = build_city(seed)
    ctx = Context(city, seed, today)
    demo = Demo(city, {layer.id: _layer(layer, ctx) for layer in registry if layer.demo})
    demo.tables["parcel_owners"] = owners.build_owners(ctx.stream("owners"), ctx.parcels)
    demo.tables["citizen_reporters"] = ctx.reports[1]
    demo.tables["observations"] = pd.concat(
        [
            observations.lodging_guests(ctx.stream("guests"), ctx.lodging, ctx.window),
            observations.dossiers(ctx.stream("dossiers"), ctx.service_points, ctx.window),
            observations.air_quality(ctx.stream("air"), ctx.env_stations, ctx.window),
            observations.ward_indicators(ctx.stream("indicators"), today),
        ],
        ignore_index=True,
    )
    return demo
