"""The demo city's generator of each layer, named by the layer's declaration (`demo=` in
layers.catalog) and loaded by democity.build as pygeoapi loads a plugin.

A generator takes the Context and returns the layer's features as a (Geo)DataFrame in the city
frame. What several layers share (the placed sites, the full parcel table, the cameras with their
down days, the report rows) is built once, on first use, by the Context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from democity import (
    cadastre,
    cameras,
    detections,
    facilities,
    incidents,
    lodging,
    reports,
    sites,
    stations,
    zoning,
)
from democity.city import City
from democity.rng import stream
from democity.timeline import Window


@dataclass
class Context:
    """What the generators share for one (seed, today)."""

    city: City
    seed: int
    today: date
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # CSV name → rows

    def stream(self, name: str):
        return stream(self.seed, name)

    @cached_property
    def window(self) -> Window:
        return Window(self.today)

    @cached_property
    def placed(self) -> pd.DataFrame:
        return sites.place_sites(self.stream("sites"), self.city.blocks, self.city.pieces)

    @cached_property
    def parcels(self) -> pd.DataFrame:
        """Every parcel with its working columns (the layer keeps cadastre.COLUMNS)."""
        return cadastre.build_parcels(self.stream("cadastre"), self.city, self.placed)

    @cached_property
    def points(self) -> pd.DataFrame:
        return facilities.site_points(self.placed, self.parcels)

    @cached_property
    def lodging(self) -> pd.DataFrame:
        return lodging.build_lodging(self.stream("lodging"), self.points, self.parcels)

    @cached_property
    def service_points(self) -> pd.DataFrame:
        return facilities.build_service_points(self.stream("service"), self.points)

    @cached_property
    def env_stations(self) -> pd.DataFrame:
        return stations.build_stations(self.city, self.points)

    @cached_property
    def cameras(self) -> pd.DataFrame:
        """The cameras with their down days (which the detections need, the layer does not)."""
        return cameras.build_cameras(self.stream("cameras"), self.city, self.today)

    @cached_property
    def reports(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(report rows, their reporters)."""
        return reports.build_reports(self.stream("reports"), self.city, self.parcels, self.window)


def wards(ctx: Context) -> pd.DataFrame:
    """The communes and their parents, both before and after the 2025 reform."""
    return ctx.city.admin


def water(ctx: Context) -> pd.DataFrame:
    """Rivers and lakes."""
    return pd.DataFrame([{"code": w.code, "name": w.name, "water_type": w.water_type, "geometry": w.geometry}
                         for w in ctx.city.geo.water])


def roads(ctx: Context) -> pd.DataFrame:
    """The street network."""
    return ctx.city.roads[["code", "name", "road_class", "width_m", "geometry"]]


def parcels(ctx: Context) -> pd.DataFrame:
    """The cadastre: parcels with their sheet and number."""
    return ctx.parcels[cadastre.COLUMNS]


def zoning_plans(ctx: Context) -> pd.DataFrame:
    """Planning zones over the parcels."""
    return zoning.build_zoning(ctx.stream("zoning"), ctx.city, ctx.parcels)


def schools(ctx: Context) -> pd.DataFrame:
    """Schools on placed sites."""
    return facilities.build_schools(ctx.stream("schools"), ctx.points)


def health_facilities(ctx: Context) -> pd.DataFrame:
    """Health facilities on placed sites."""
    return facilities.build_health(ctx.stream("health"), ctx.points)


def lodgings(ctx: Context) -> pd.DataFrame:
    """Hotels and guest houses."""
    return ctx.lodging


def service_points(ctx: Context) -> pd.DataFrame:
    """Public service points."""
    return ctx.service_points


def env_stations(ctx: Context) -> pd.DataFrame:
    """Environment monitoring stations."""
    return ctx.env_stations


def surveillance_cameras(ctx: Context) -> pd.DataFrame:
    """The cameras (their down days stay with the detections)."""
    return ctx.cameras.drop(columns="down_days")


def security_incidents(ctx: Context) -> pd.DataFrame:
    """Incidents of the 90 days."""
    return incidents.build_incidents(ctx.stream("incidents"), ctx.city, ctx.parcels, ctx.cameras, ctx.window)


def citizen_reports(ctx: Context) -> pd.DataFrame:
    """Citizen reports of the 90 days (their reporters are a table)."""
    return ctx.reports[0]


def camera_detections(ctx: Context) -> pd.DataFrame:
    """Camera detections of the 90 days."""
    return detections.build_detections(ctx.stream("detections"), ctx.city, ctx.cameras, ctx.window)
