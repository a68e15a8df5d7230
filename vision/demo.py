"""The synthetic scenario on real cameras: calibration and rules placed at a camera, the video on disk.

Used by the demo (`ioc vision demo`, started by up.sh) and by the acceptance tests: the same video
plays on any camera, and its calibration puts the scene's ground where the camera stands on the map.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, LineString, Polygon

from layers.models import Camera
from vision.models import CameraCalibration, CameraRule
from vision.synthetic.video import (
    COUNTING_LINE,
    DWELL_SECONDS,
    RESTRICTED_ZONE,
    GeoFrame,
    reference_points,
    write_video,
)

DEMO_VIDEO = Path("vision") / "demo" / "scenario.avi"  # under var/
LINE_NAME = "Đường đếm giữa phố"
ZONE_NAME = "Vùng cấm vỉa hè"
DWELL_NAME = "Vùng dừng vỉa hè"


def geo_frame(camera: Camera) -> GeoFrame:
    """Where the scenario's ground lies on the map for this camera (its position and bearing)."""
    return GeoFrame((camera.geom.x, camera.geom.y), float(camera.bearing_deg))


def install_scenario(camera: Camera, noise_px: float = 1.0) -> GeoFrame:
    """Calibrate `camera` for the synthetic scene (six marks, `noise_px` click noise) and draw its rules."""
    geo = geo_frame(camera)
    pixels, lonlat = reference_points(geo, noise_px)
    calibration, _ = CameraCalibration.objects.get_or_create(camera=camera)
    calibration.reference_points = [
        {"u": u, "v": v, "lon": lon, "lat": lat} for (u, v), (lon, lat) in zip(pixels, lonlat, strict=True)
    ]
    calibration.fit()
    calibration.save()
    line = LineString(*[tuple(p) for p in geo.to_lonlat(COUNTING_LINE).tolist()], srid=4326)
    ring = [tuple(p) for p in geo.to_lonlat(RESTRICTED_ZONE).tolist()]
    zone = Polygon([*ring, ring[0]], srid=4326)
    rules = {
        LINE_NAME: ("line", line, 0.0),
        ZONE_NAME: ("restricted", zone, 0.0),
        DWELL_NAME: ("dwell", zone, DWELL_SECONDS),
    }
    for name, (kind, geometry, seconds) in rules.items():
        CameraRule.objects.update_or_create(
            camera=camera,
            name=name,
            defaults={
                "kind": kind,
                "geom": GEOSGeometry(geometry.wkt, srid=4326),
                "seconds": seconds or 30.0,
                "classes": ["person"] if kind == "restricted" else [],
            },
        )
    return geo


def scenario_video(path: Path, seconds: float | None = None) -> Path:
    """The scenario's video at `path` (rendered once, a few seconds)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        options = {"seconds": seconds} if seconds else {}
        write_video(path, GeoFrame((0.0, 0.0), 0.0), **options)
    return path
