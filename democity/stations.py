"""Environmental monitoring stations: air quality, river and lake water, and noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely.geometry import Point

from democity.admin import COMMUNE_BY_CODE
from democity.city import City
from democity.streets import U_CENTRE

# (station type, site kind it stands on, name)
ON_SITES = (
    ("air", "province_centre", "Trạm quan trắc không khí tự động trung tâm thành phố"),
    ("air", "stadium", "Trạm quan trắc không khí tự động Sân vận động"),
    ("air", "industrial_park", "Trạm quan trắc không khí Khu công nghiệp phía Nam"),
    ("air", "bus_station", "Trạm quan trắc không khí Bến xe khách"),
    ("noise", "market", "Trạm quan trắc tiếng ồn khu chợ trung tâm"),
    ("noise", "hospital", "Trạm quan trắc tiếng ồn khu bệnh viện"),
)
RIVER_STATION = "Trạm quan trắc nước sông Hồng – Cầu Yên Bái"
LAKE_STATION = ("HO-NAM-CUONG", "Trạm quan trắc nước hồ Nam Cường")


def _waterside(city: City) -> list[dict]:
    u = np.array([U_CENTRE + 60.0])
    river_point = Point(u[0], float(city.geo.river.bank(u, "right", 6.0)[0]))
    lake = next(w.geometry for w in city.geo.water if w.code == LAKE_STATION[0])
    lake_point = lake.exterior.interpolate(0.25, normalized=True)
    lake_point = Point(
        lake_point.x + (lake_point.x - lake.centroid.x) * 0.04,
        lake_point.y + (lake_point.y - lake.centroid.y) * 0.04,
    )
    rows = []
    for name, point, place in (
        (RIVER_STATION, river_point, "Bờ sông Hồng, đường Âu Cơ"),
        (LAKE_STATION[1], lake_point, "Bờ hồ Nam Cường"),
    ):
        ward = city.ward_of(np.array([point.x]), np.array([point.y]))[0]
        rows.append(
            {
                "station_type": "water",
                "name": name,
                "ward_code": ward,
                "address": f"{place}, {COMMUNE_BY_CODE[ward].label}",
                "geometry": point,
            }
        )
    return rows


def build_stations(city: City, points: pd.DataFrame) -> pd.DataFrame:
    """Eight stations: four air, two water, two noise."""
    rows = []
    for station_type, kind, name in ON_SITES:
        site = points[points.kind == kind].iloc[0]
        rows.append(
            {
                "station_type": station_type,
                "name": name,
                "ward_code": site.ward_code,
                "address": site.address,
                "geometry": Point(site.geometry.x + 12.0, site.geometry.y - 8.0),
            }
        )
    rows[4:4] = _waterside(city)
    frame = pd.DataFrame(rows)
    frame.insert(0, "code", [f"ENV-{n:02d}" for n in range(1, len(frame) + 1)])
    return frame[["code", "name", "address", "ward_code", "station_type", "geometry"]]
