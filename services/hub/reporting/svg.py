"""A small SVG map of completeness drawn on the server (no map library, no tiles): each area unit's shape
coloured by its state; agencies are listed beside it, not drawn."""

from __future__ import annotations

import math

from indicators.completeness import Owed

WIDTH = 640
COLOURS = {"on_time": "#00b894", "late": "#f39c12", "missing": "#d63031"}


def _rings(geom) -> list:
    polygons = [geom] if geom.geom_type == "Polygon" else list(geom)
    return [ring for polygon in polygons for ring in polygon]


def svg_map(rows: list[Owed]) -> dict | None:
    """{"width", "height", "shapes": [{"code", "name", "status", "colour", "d"}]} of the areas of `rows`,
    None when no area is among them."""
    areas = [row for row in rows if row.unit.kind == "area" and row.geom is not None]
    if not areas:
        return None
    west, south, east, north = areas[0].geom.extent
    for row in areas[1:]:
        w, s, e, n = row.geom.extent
        west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / max((east - west) * squeeze, 1e-9)
    height = max(round((north - south) * scale), 1)
    shapes = []
    for row in areas:
        simple = row.geom.simplify(1 / scale, preserve_topology=True)
        d = " ".join(
            "M"
            + " L".join(f"{(x - west) * squeeze * scale:.1f},{(north - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in _rings(simple)
        )
        shapes.append(
            {
                "code": row.unit.code,
                "name": row.unit.name,
                "status": row.state,
                "colour": COLOURS[row.state],
                "d": d,
            }
        )
    return {"width": WIDTH, "height": height, "shapes": shapes}
