"""The permission matrix: every role × every collection × every operation, probed through the real
paths (OGC items, editing, cadastral operations, history, tiles, the live feed) and compared with
the specification written out below. A change of either the code or the table fails loudly.

A probe never changes data: writes name version 0 (If-Match: "0"), so a write that passes the
permission check stops at 412 (someone saved first) and one that does not stops at 401 or 403.
Each account is probed on the first feature it may see: unit staff on a report of their unit (what
they may do to another unit's reports, nothing, is tests/spatial/test_unit_staff.py), an official bound
to wards on a feature of those wards (permission is judged before the version: elsewhere a write is 403).
"""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth.models import User

from layers.history import feature_history
from layers.registry import registry
from spatial.access import WARD_BOUND_ROLES, Viewer
from spatial.demo_accounts import DEMO_PASSWORD
from spatial.roles import ROLE_CODES
from web_map.live_feed import ViewerFilter

pytestmark = pytest.mark.django_db

# the demo accounts, one per role (spatial.demo_accounts), and nobody signed in
USERS = ("anonymous", "quantri", "diachinh.dongtam", "quyhoach", "vanhanh", "xuly.namcuong", "lanhdao", "gis")
# r read · c create · p replace (PUT) · u update (PATCH) · d delete · s split · m merge · o restore ·
# h history · t tiles · l live feed.  A letter in the table: allowed; absent: refused (401 or 403),
# or, for s m o h, not offered by the layer (404).
OPERATIONS = "rcpudsmohtl"
NAMES = {"r": "read", "c": "create", "p": "replace", "u": "update", "d": "delete", "s": "split",
         "m": "merge", "o": "restore", "h": "history", "t": "tiles", "l": "live"}

SPECIFICATION = {
    # collection:         anonymous             diachinh.dongtam          vanhanh             lanhdao
    #                             quantri                     quyhoach              xuly.namcuong     gis
    "wards":             ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "parcels":           ("rht",  "rcpudsmoht", "rcpudsmoht", "rht",      "rht",    "rht",    "rht",  "rht"),
    "zoning":            ("rht",  "rcpudoht",   "rcpudoht",   "rcpudoht", "rht",    "rht",    "rht",  "rht"),
    "buildings":         ("rht",  "rcpudoht",   "rcpudoht",   "rcpudoht", "rht",    "rht",    "rht",  "rht"),
    "roads":             ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "water":             ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "waterways":         ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "schools":           ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "health_facilities":("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "lodging":           ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "service_points":    ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "env_stations":      ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "cameras":           ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "incidents":         ("rhtl", "rcpudohtl",  "rhtl",       "rhtl",     "ruohtl", "rhtl",   "rhtl", "rhtl"),
    "citizen_reports":   ("rhtl", "rcpudohtl",  "rhtl",       "rhtl",     "ruohtl", "ruohtl", "rhtl", "rhtl"),
    "units":             ("rt",   "rcpudt",     "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "detections":        ("",     "rtl",        "",           "",         "rtl",    "",       "rtl",  ""),
    "detection_density": ("",     "rt",         "",           "",         "rt",     "",       "rt",   ""),
    "alerts":            ("",     "rtl",        "",           "",         "rtl",    "",       "rtl",  ""),
    "incident_steps":    ("",     "rtl",        "",           "",         "rtl",    "rtl",    "rtl",  ""),
    "emergency_stations":("rt",   "rcpudt",     "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "directives":        ("",     "rhtl",       "",           "",         "rhtl",   "rhtl",   "rhtl", ""),
    "isolation_sites":   ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "vaccination_sites": ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
    "epidemic_cases":    ("rt",   "rt",         "rt",         "rt",       "rt",     "rt",     "rt",   "rt"),
}


def headers(user: str) -> dict:
    if user == "anonymous":
        return {}
    token = base64.b64encode(f"{user}:{DEMO_PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


class Probe:
    """One collection's paths, with a real feature and history entry where the layer has them: the
    first feature `viewer` may see."""

    def __init__(self, layer_id: str, viewer: Viewer) -> None:
        self.layer = registry.get(layer_id)
        self.items = f"/ogc/collections/{layer_id}/items"
        rows = viewer.scoped(self.layer, self.layer.queryset())
        fields = {field.name for field in self.layer.model_class._meta.fields}
        if viewer.roles & WARD_BOUND_ROLES and "ward" in fields:
            rows = rows.filter(ward__in=viewer.ward_ids)  # whose edits the permission check lets through
        first = rows.order_by("pk").values_list("pk", flat=True).first()
        self.item = f"{self.items}/{first}"
        self.entry = feature_history(self.layer, first).values_list("pk", flat=True).first() \
            if self.layer.history else 1
        self.tile = f"/tiles/{layer_id}/14/12966/7178.pbf"

    def status(self, client, operation: str, user: str) -> int:
        auth, stale = headers(user), {"HTTP_IF_MATCH": '"0"'}
        feature = json.dumps({"type": "Feature", "properties": {}, "geometry": None})
        requests = {
            "r": lambda: client.get(self.items, {"limit": 1}, **auth),
            "c": lambda: client.post(self.items, feature, content_type="application/geo+json", **auth),
            "p": lambda: client.put(self.item, feature, content_type="application/geo+json", **stale, **auth),
            "u": lambda: client.patch(self.item, '{"properties": {}}', content_type="application/geo+json",
                                      **stale, **auth),
            "d": lambda: client.delete(self.item, **stale, **auth),
            "s": lambda: client.post(f"{self.item}/split", '{"line": null}', content_type="application/json",
                                     **stale, **auth),
            "m": lambda: client.post(self.items.removesuffix("/items") + "/merge",
                                     '{"items": [{"id": 1, "version": 0}, {"id": 2, "version": 0}]}',
                                     content_type="application/json", **auth),
            "o": lambda: client.post(f"{self.item}/history/{self.entry}/restore", **stale, **auth),
            "h": lambda: client.get(f"{self.item}/history", **auth),
            "t": lambda: client.get(self.tile, **auth),
        }
        return requests[operation]().status_code


def allowed(status: int, operation: str) -> bool:
    """Whether an answer shows the operation passed the permission check."""
    if status in (401, 403, 404):
        return False
    assert status < 500, f"{operation}: {status}"
    return True


def observed(client, layer_id: str) -> tuple[str, ...]:
    row = []
    for user in USERS:
        viewer = Viewer.of(None if user == "anonymous" else User.objects.get(username=user))
        probe = Probe(layer_id, viewer)
        letters = [op for op in OPERATIONS[:-1] if allowed(probe.status(client, op, user), op)]
        if layer_id in ViewerFilter(viewer).members:
            letters.append("l")
        row.append("".join(letters))
    return tuple(row)


def test_the_specification_covers_every_registered_collection_and_every_role():
    assert sorted(SPECIFICATION) == sorted(registry.ids())
    roles = {role for user in USERS[1:] for role in Viewer.of(User.objects.get(username=user)).roles}
    assert roles == set(ROLE_CODES)


@pytest.mark.parametrize("layer_id", sorted(SPECIFICATION))
def test_what_each_role_may_do_is_the_specification(client, layer_id):
    row = observed(client, layer_id)
    expected = SPECIFICATION[layer_id]
    differences = [f"{user}: expected {want or '-'}, observed {got or '-'}"
                   for user, want, got in zip(USERS, expected, row, strict=True) if want != got]
    assert not differences, f"{layer_id}: " + "; ".join(differences)
