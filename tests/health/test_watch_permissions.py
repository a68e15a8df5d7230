"""Who may do what with the epidemic watch's layers: everyone reads them and their tiles, no one writes
through the editing API (the figures come from the health department's reports), none is in the live
feed. (The rows tests/spatial/test_permission_matrix.py needs for them: "rt" for every user.)"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from spatial.access import Viewer
from web_map.live_feed import ViewerFilter

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "quantri", "diachinh.dongtam", "quyhoach", "vanhanh", "xuly.namcuong", "lanhdao", "gis")
LAYERS = ("epidemic_cases", "isolation_sites", "vaccination_sites")


@pytest.mark.parametrize("layer_id", LAYERS)
def test_everyone_reads_the_watch_and_its_tiles_and_no_one_writes_it(client, as_user, layer_id, settings,
                                                                    tmp_path):
    settings.TILE_CACHE_DIR = tmp_path / "tiles"
    feature = json.dumps({"type": "Feature", "properties": {}, "geometry": None})
    for user in USERS:
        auth = {} if user == "anonymous" else as_user(user)
        items = f"/ogc/collections/{layer_id}/items"
        assert client.get(items, {"limit": 1}, **auth).status_code == 200, user
        assert client.get(f"/tiles/{layer_id}/14/12966/7178.pbf", **auth).status_code == 200, user
        created = client.post(items, feature, content_type="application/geo+json", **auth).status_code
        assert created in (401, 403), (user, created)
        viewer = Viewer.of(None if user == "anonymous" else User.objects.get(username=user))
        assert layer_id not in ViewerFilter(viewer).members, user
