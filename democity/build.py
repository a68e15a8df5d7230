"""Build every dataset of the demo city in memory, in load order (geometry in the city frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from democity import (
    cadastre,
    cameras,
    detections,
    facilities,
    incidents,
    lodging,
    observations,
    owners,
    reports,
    sites,
    stations,
    zoning,
)
from democity.city import City, build_city
from democity.rng import stream
from democity.timeline import Window


@dataclass
class Layer:
    frame: pd.DataFrame
    multi: str | None = None  # promote geometries to this multi type when writing


@dataclass
class Demo:
    city: City
    layers: dict[str, Layer] = field(default_factory=dict)  # layer id → features, in load order
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # CSV name → rows


def _basemap(city: City) -> dict[str, Layer]:
    water = pd.DataFrame(
        [
            {"code": w.code, "name": w.name, "water_type": w.water_type, "geometry": w.geometry}
            for w in city.geo.water
        ]
    )
    roads = city.roads[["code", "name", "road_class", "width_m", "geometry"]]
    return {
        "wards": Layer(city.admin, "MultiPolygon"),
        "water": Layer(water, "MultiPolygon"),
        "roads": Layer(roads, "MultiLineString"),
    }


def build_demo(today: date, seed: int = 2025) -> Demo:
    """All layers and tables of the demo city for a seed and a 'today'."""
    city = build_city(seed)
    demo = Demo(city, _basemap(city))
    placed = sites.place_sites(stream(seed, "sites"), city.blocks, city.pieces)
    parcels = cadastre.build_parcels(stream(seed, "cadastre"), city, placed)
    demo.layers["parcels"] = Layer(parcels[cadastre.COLUMNS], "MultiPolygon")
    demo.layers["zoning"] = Layer(zoning.build_zoning(stream(seed, "zoning"), city, parcels), "MultiPolygon")
    points = facilities.site_points(placed, parcels)
    demo.layers["schools"] = Layer(facilities.build_schools(stream(seed, "schools"), points))
    demo.layers["health_facilities"] = Layer(facilities.build_health(stream(seed, "health"), points))
    lodgings = lodging.build_lodging(stream(seed, "lodging"), points, parcels)
    demo.layers["lodging"] = Layer(lodgings)
    service = facilities.build_service_points(stream(seed, "service"), points)
    demo.layers["service_points"] = Layer(service)
    env = stations.build_stations(city, points)
    demo.layers["env_stations"] = Layer(env)
    cams = cameras.build_cameras(stream(seed, "cameras"), city, today)
    demo.layers["cameras"] = Layer(cams.drop(columns="down_days"))
    window = Window(today)
    demo.layers["incidents"] = Layer(
        incidents.build_incidents(stream(seed, "incidents"), city, parcels, cams, window)
    )
    report_rows, reporters = reports.build_reports(stream(seed, "reports"), city, parcels, window)
    demo.layers["citizen_reports"] = Layer(report_rows)
    demo.layers["detections"] = Layer(
        detections.build_detections(stream(seed, "detections"), city, cams, window)
    )
    demo.tables["parcel_owners"] = owners.build_owners(stream(seed, "owners"), parcels)
    demo.tables["citizen_reporters"] = reporters
    demo.tables["observations"] = pd.concat(
        [
            observations.lodging_guests(stream(seed, "guests"), lodgings, window),
            observations.dossiers(stream(seed, "dossiers"), service, window),
            observations.air_quality(stream(seed, "air"), env, window),
            observations.ward_indicators(stream(seed, "indicators"), today),
        ],
        ignore_index=True,
    )
    return demo
