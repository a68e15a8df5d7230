"""TileJSON from the style's zooms and the data's extent; tiles below a layer's min zoom are empty tiles
answered as OGC API – Tiles allows (204 No Content), without touching the database."""

from __future__ import annotations

import pytest
from django.contrib.gis.db.models import Extent
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layers.models import Parcel
from layers.registry import registry
from tiles import extents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_extents():
    extents.forget()
    yield
    extents.forget()


def test_tilejson_zooms_come_from_the_style_and_bounds_from_the_data(client):
    tilejson = client.get("/tiles/parcels.json").json()
    style = registry.get("parcels").style
    assert (tilejson["minzoom"], tilejson["maxzoom"]) == (style.min_zoom, style.detail_zoom) == (14, 16)
    exact = Parcel.objects.aggregate(e=Extent("geom"))["e"]
    assert tilejson["bounds"] == pytest.approx(list(exact), abs=1e-6)
    lon, lat, zoom = tilejson["center"]
    assert exact[0] < lon < exact[2] and exact[1] < lat < exact[3] and zoom == 14
    assert tilejson["vector_layers"][0]["minzoom"] == 14 and tilejson["vector_layers"][0]["maxzoom"] == 16


def test_a_tilejson_of_several_layers_spans_their_zooms(client):
    tilejson = client.get("/tiles/parcels,roads.json").json()
    assert (tilejson["minzoom"], tilejson["maxzoom"]) == (0, 16)
    zooms = [(layer["minzoom"], layer["maxzoom"]) for layer in tilejson["vector_layers"]]
    assert zooms == [(14, 16), (0, 14)]
    assert tilejson["center"][2] == 13  # the whole city fits at zoom 13


@pytest.mark.parametrize("url", ["/tiles/parcels/12/3241/1800.pbf",
                                 "/ogc/collections/parcels/tiles/WebMercatorQuad/12/1800/3241"])
def test_a_tile_below_the_min_zoom_is_204_with_no_body_and_no_query(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 204 and response.content == b""
    assert "Content-Type" not in response
    assert not [q for q in queries.captured_queries if "ST_AsMVT" in q["sql"]]
    assert client.head(url).status_code == 204


def test_a_tile_at_the_min_zoom_still_holds_features(client):
    tilejson = client.get("/tiles/parcels.json").json()
    lon, lat, zoom = tilejson["center"]
    from tiles.grid import tiles_covering

    tile = next(tiles_covering((lon, lat, lon, lat), zoom))
    response = client.get(f"/tiles/parcels/{tile}.pbf")
    assert response.status_code == 200 and len(response.content) > 1000
