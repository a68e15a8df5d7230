"""The demo-city generator: counts, topology of the cadastre, time windows and determinism.

The files are generated once per module; no database is needed.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from democity.generator import generate
from layers.vocabularies import (
    ADMIN_TYPE,
    INCIDENT_CATEGORY,
    LAND_USE,
    OBJECT_CLASS,
    OWNER_TYPE,
    REPORT_CATEGORY,
    REPORT_CHANNEL,
    ROAD_CLASS,
    WATER_TYPE,
    ZONE_FUNCTION,
)
from spatial.vietnam import inside_vietnam

TODAY = date(2025, 9, 15)
START = datetime(2025, 6, 17, tzinfo=timezone(timedelta(hours=7)))  # 90 days before TODAY
END = START + timedelta(days=90)
METRIC = "EPSG:32648"  # WGS 84 / UTM 48N
LOAD_ORDER = [  # the registry's declaration order, then the tables
    "wards",
    "parcels",
    "zoning",
    "buildings",
    "roads",
    "water",
    "waterways",
    "schools",
    "health_facilities",
    "lodging",
    "service_points",
    "env_stations",
    "cameras",
    "incidents",
    "citizen_reports",
    "detections",
    "emergency_stations",  # response's police and fire stations (their layer's demo hook)
    "directives",  # leaders' directives in flight (their layer's demo hook)
    "parcel_owners",
    "citizen_reporters",
    "observations",
]
OLD_COMMUNES = {
    "Hồng Hà",
    "Minh Tân",
    "Nguyễn Phúc",
    "Nguyễn Thái Học",
    "Yên Ninh",
    "Yên Thịnh",
    "Đồng Tâm",
    "Hợp Minh",
    "Nam Cường",
    "Âu Lâu",
    "Giới Phiên",
    "Minh Bảo",
    "Phúc Lộc",
    "Tân Thịnh",
    "Tuy Lộc",
    "Văn Phú",
    "Văn Tiến",
}
PARCELS = 30_443


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("demo"), TODAY)


@pytest.fixture(scope="module")
def layers(files: dict[str, Path]) -> dict[str, gpd.GeoDataFrame]:
    return {
        name: gpd.read_file(path, engine="pyogrio") for name, path in files.items() if path.suffix == ".gpkg"
    }


@pytest.fixture(scope="module")
def tables(files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(path, dtype=str, keep_default_na=False)
        for name, path in files.items()
        if path.suffix == ".csv"
    }


@pytest.fixture(scope="module")
def wards(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    units = layers["wards"]
    return units[(units.level == "commune") & units.valid_to.notna()].to_crs(METRIC)


@pytest.fixture(scope="module")
def parcels(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return layers["parcels"].to_crs(METRIC)


def _times(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="ISO8601")


def test_files_come_in_load_order(files: dict[str, Path]) -> None:
    assert list(files) == LOAD_ORDER
    assert all(path.exists() for path in files.values())


def test_exact_counts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    counts = {name: len(frame) for name, frame in layers.items()}
    assert counts == {
        "wards": 24,
        "water": 13,
        "waterways": 8,
        "buildings": 1187,
        "roads": 160,
        "parcels": PARCELS,
        "zoning": 383,
        "schools": 50,
        "health_facilities": 30,
        "lodging": 60,
        "service_points": 18,
        "env_stations": 8,
        "cameras": 40,
        "incidents": 2000,
        "citizen_reports": 3000,
        "detections": 100_000,
        "emergency_stations": 10,
        "directives": 11,
    }


def test_pre_2025_structure_has_the_17_communes_of_yen_bai(layers: dict[str, gpd.GeoDataFrame]) -> None:
    old = layers["wards"][layers["wards"].valid_from == "2008-08-01"]
    communes = old[old.level == "commune"]
    assert set(communes.name) == OLD_COMMUNES
    assert communes.code.is_unique and (communes.code.str.len() == 5).all()
    assert set(communes.parent_code) == {"132"}
    assert old[old.level == "district"].parent_code.tolist() == ["15"]
    assert (old.valid_to == "2025-07-01").all()
    assert communes[communes.name == "Đồng Tâm"].name_en.tolist() == ["Dong Tam Ward"]
    assert set(layers["wards"].unit_type) <= set(ADMIN_TYPE.codes)


def test_units_are_listed_parents_before_children(layers: dict[str, gpd.GeoDataFrame]) -> None:
    seen: set[tuple[str, str]] = set()
    for unit in layers["wards"].itertuples():
        if unit.parent_code:
            assert (unit.parent_code, unit.valid_from) in seen
        seen.add((unit.code, unit.valid_from))
    assert len(seen) == len(layers["wards"])


def test_2025_wards_merge_old_communes_under_the_province(
    layers: dict[str, gpd.GeoDataFrame], wards: gpd.GeoDataFrame
) -> None:
    units = layers["wards"].to_crs(METRIC)
    new = units[units.valid_from == "2025-07-01"]
    assert new[new.level == "province"].name.tolist() == ["Lào Cai"]
    assert "district" not in set(new.level)
    communes = new[new.level == "commune"]
    assert set(communes.parent_code) == {"15"}
    assert not set(communes.code) & set(wards.code)
    assert communes.area.sum() == pytest.approx(wards.area.sum(), rel=1e-9)
    assert communes.population.sum() == wards.population.sum()


def test_communes_tile_the_city_without_gaps_or_overlaps(
    layers: dict[str, gpd.GeoDataFrame], wards: gpd.GeoDataFrame
) -> None:
    city = layers["wards"][layers["wards"].level == "district"].to_crs(METRIC).geometry.iloc[0]
    assert wards.area.sum() == pytest.approx(city.area, rel=1e-9)
    assert shapely.union_all(wards.geometry.to_numpy()).symmetric_difference(city).area < 1.0


def test_parcels_do_not_overlap(layers: dict[str, gpd.GeoDataFrame]) -> None:
    # Intersected on the EPSG:4326 coordinates as written (as PostGIS does), measured in metres:
    # transforming first would hide slivers at T-junctions, whose edges bend between the CRSs.
    parcels = layers["parcels"]
    geoms = parcels.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    shared = gpd.GeoSeries(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]), crs=parcels.crs)
    assert shared.to_crs(METRIC).area.max() < 0.001


def test_parcels_are_valid_simple_and_inside_their_ward(
    parcels: gpd.GeoDataFrame, wards: gpd.GeoDataFrame
) -> None:
    geoms = parcels.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert (shapely.get_type_id(geoms) == 6).all()
    ward_of = wards.set_index("code").geometry
    outside = shapely.area(shapely.difference(geoms, ward_of.loc[parcels.ward_code].to_numpy()))
    assert outside.max() < 0.01


def test_parcels_stay_out_of_the_water(
    layers: dict[str, gpd.GeoDataFrame], parcels: gpd.GeoDataFrame
) -> None:
    water = shapely.union_all(layers["water"].to_crs(METRIC).geometry.to_numpy())
    geoms = parcels.geometry.to_numpy()
    assert shapely.area(shapely.intersection(geoms, water)).max() < 0.01


def test_parcel_numbers_are_unique_within_a_ward(parcels: gpd.GeoDataFrame) -> None:
    assert not parcels.duplicated(["ward_code", "sheet_no", "parcel_no"]).any()
    first = parcels.groupby(["ward_code", "sheet_no"]).parcel_no.min()
    assert (first == 1).all()


def test_parcel_attributes_come_from_the_code_lists(parcels: gpd.GeoDataFrame) -> None:
    assert set(parcels.land_use) <= set(LAND_USE.codes)
    assert set(parcels.owner_type) <= set(OWNER_TYPE.codes)
    shares = parcels.land_use.value_counts(normalize=True)
    assert shares.index[0] == "ODT"
    assert {"ONT", "LUC", "CLN", "TMD", "DGD", "DYT", "TSC", "SKC", "DGT"} <= set(shares.index)
    urban = parcels[parcels.land_use == "ODT"].area
    assert 80 <= urban.median() <= 400


def test_owners_hold_household_parcels(parcels: gpd.GeoDataFrame, tables: dict[str, pd.DataFrame]) -> None:
    owners = tables["parcel_owners"]
    key = ["ward_code", "sheet_no", "parcel_no"]
    households = parcels[parcels.owner_type == "GDC"][key].astype(str)
    assert set(map(tuple, owners[key].to_numpy())) == set(map(tuple, households.to_numpy()))
    assert owners.id_number.str.fullmatch(r"\d{12}").all()
    assert (owners.groupby(key).share_pct.apply(lambda s: s.astype(float).sum()) == 100.0).all()


def test_other_layers_use_the_code_lists(layers: dict[str, gpd.GeoDataFrame]) -> None:
    assert set(layers["roads"].road_class) <= set(ROAD_CLASS.codes)
    assert set(layers["water"].water_type) <= set(WATER_TYPE.codes)
    assert set(layers["zoning"].function) <= set(ZONE_FUNCTION.codes)
    assert set(layers["incidents"].category) <= set(INCIDENT_CATEGORY.codes)
    assert set(layers["citizen_reports"].category) <= set(REPORT_CATEGORY.codes)
    assert set(layers["citizen_reports"].channel) <= set(REPORT_CHANNEL.codes)
    assert set(layers["detections"].object_class) <= set(OBJECT_CLASS.codes)
    assert not layers["zoning"].duplicated(["decision_no", "zone_code"]).any()


def test_facilities_are_complete(layers: dict[str, gpd.GeoDataFrame], wards: gpd.GeoDataFrame) -> None:
    health = layers["health_facilities"]
    stations = health[health.health_type == "ward_station"]
    assert sorted(stations.ward_code) == sorted(wards.code)
    points = layers["service_points"]
    assert points.service_level.value_counts().to_dict() == {"commune": 17, "province": 1}
    assert layers["schools"].school_level.value_counts().to_dict() == {
        "mam_non": 17,
        "tieu_hoc": 16,
        "thcs": 11,
        "thpt": 6,
    }
    hotels = layers["lodging"].lodging_type == "hotel"
    assert layers["lodging"].stars[hotels].notna().all() and layers["lodging"].stars[~hotels].isna().all()
    for name in ("schools", "health_facilities", "lodging", "service_points", "env_stations", "cameras"):
        assert layers[name].code.is_unique and layers[name].name.is_unique, name


def test_everything_lies_inside_vietnam(layers: dict[str, gpd.GeoDataFrame]) -> None:
    for name, frame in layers.items():
        assert inside_vietnam(frame.geometry.to_numpy()).all(), name


def test_events_fall_in_the_90_days_before_today(layers: dict[str, gpd.GeoDataFrame]) -> None:
    incidents, reports = layers["incidents"], layers["citizen_reports"]
    for values in (incidents.reported_at, reports.received_at, layers["detections"].observed_at):
        times = _times(values)
        assert times.min() >= START and times.max() < END
        assert values.str.endswith("+07:00").all()
    reported, resolved = _times(incidents.reported_at), _times(incidents.resolved_at)
    done = incidents.status.isin(["resolved", "closed"])
    assert resolved[done].notna().all() and resolved[~done].isna().all()
    assert (resolved[done] > reported[done]).all() and (resolved[done] < END).all()
    received, due = _times(reports.received_at), _times(reports.due_at)
    assert ((due - received).dt.days.between(5, 15)).all()
    closed = _times(reports.resolved_at).dropna()
    assert (closed > received[closed.index]).all() and (closed < END).all()


def test_a_realistic_share_of_reports_is_overdue(layers: dict[str, gpd.GeoDataFrame]) -> None:
    reports = layers["citizen_reports"]
    open_ = ~reports.status.isin(["resolved", "rejected"])
    overdue = open_ & (_times(reports.due_at) < END)
    assert 0.03 < overdue.mean() < 0.2


def test_traffic_accidents_and_detections_peak_at_rush_hours(layers: dict[str, gpd.GeoDataFrame]) -> None:
    hours = _times(layers["detections"].observed_at).dt.hour
    assert hours.isin([6, 7, 8, 16, 17, 18]).mean() > 0.35
    assert hours.isin([0, 1, 2, 3]).mean() < 0.03
    accidents = layers["incidents"][layers["incidents"].category == "traffic_accident"]
    accident_hours = _times(accidents.reported_at).dt.hour
    assert accident_hours.isin([6, 7, 8, 16, 17, 18]).mean() > 0.35


def test_incidents_seen_by_a_camera_name_no_camera_in_their_public_text(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    cameras = layers["cameras"].set_index("code")
    incidents = layers["incidents"]
    seen = incidents[incidents.camera_code.notna()]
    assert len(seen) > 50
    places = cameras.address.str.rsplit(", ", n=1).str[0].str.casefold()
    for code, title in zip(seen.code, seen.title, strict=True):
        text = f"{code} {title}".casefold()
        assert not [name for name in (*places, *cameras.index.str.casefold()) if name in text], title


def test_motorbikes_dominate_the_detections(layers: dict[str, gpd.GeoDataFrame]) -> None:
    detections = layers["detections"]
    assert detections.object_class.value_counts().index[0] == "motorbike"
    assert detections.confidence.between(0.3, 0.99).all()


def test_detections_lie_in_their_camera_cone(layers: dict[str, gpd.GeoDataFrame]) -> None:
    cameras = layers["cameras"].to_crs(METRIC).set_index("code")
    detections = layers["detections"].to_crs(METRIC)
    cam = cameras.loc[detections.camera_code]
    dx = detections.geometry.x.to_numpy() - cam.geometry.x.to_numpy()
    dy = detections.geometry.y.to_numpy() - cam.geometry.y.to_numpy()
    distance = np.hypot(dx, dy)
    assert (distance <= cam.range_m.to_numpy() * 1.01).all()
    bearing = np.degrees(np.arctan2(dx, dy)) % 360
    off_axis = (bearing - cam.bearing_deg.to_numpy() + 180) % 360 - 180
    assert (np.abs(off_axis) <= cam.fov_deg.to_numpy() / 2 + 1.0).all()


def test_observations_name_generated_features(
    layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame]
) -> None:
    observations = tables["observations"]
    expected = {
        ("lodging", "guests", "day"),
        ("service_points", "dossiers_received", "day"),
        ("service_points", "dossiers_on_time", "day"),
        ("env_stations", "pm25", "hour"),
        ("env_stations", "aqi", "hour"),
        ("wards", "budget_revenue", "month"),
        ("wards", "new_businesses", "month"),
        ("wards", "poor_households_pct", "month"),
    }
    assert (
        set(map(tuple, observations[["layer", "metric", "period"]].drop_duplicates().to_numpy())) == expected
    )
    for layer, group in observations.groupby("layer"):
        assert set(group.feature_code) <= set(layers[layer].code), layer
    assert not observations.duplicated(["layer", "feature_code", "metric", "observed_at"]).any()


def test_generation_is_deterministic(files: dict[str, Path], tmp_path: Path) -> None:
    again = generate(tmp_path, TODAY)

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert {name: digest(path) for name, path in again.items()} == {
        name: digest(path) for name, path in files.items()
    }
