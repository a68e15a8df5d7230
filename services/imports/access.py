"""Who may import into what: administrators into any layer or attribute table; land officials and
planners into the layers they may edit (spatial.access.Viewer.can_edit), only rows lying in their
wards, and never in `replace` mode (it deletes beyond their wards). Everyone else: 403."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from django.contrib.gis.geos import GEOSGeometry
from django.http import HttpRequest

from etl.importer import MODES
from etl.report import Problem
from etl.targets import ATTRIBUTE_TABLES, Target
from layers.models import AdminUnit
from layers.registry import Layer, registry
from services.imports.errors import BadUpload, NotPermitted, NotSignedIn
from spatial.access import WARD_BOUND_ROLES, Viewer
from spatial.errors import Forbidden

# the editing operations a mode needs (replace: administrators only)
MODE_OPERATIONS = {"append": ("create",), "upsert": ("create", "update")}


def importer(request: HttpRequest) -> Viewer:
    """The viewer, if it may import at all (401 anonymous, 403 without an importing role)."""
    viewer = Viewer.of(request.user)
    if viewer.is_anonymous:
        raise NotSignedIn("cần đăng nhập để nhập dữ liệu", "sign in to import data")
    if not (viewer.is_admin or viewer.roles & WARD_BOUND_ROLES):
        raise NotPermitted("chỉ quản trị hệ thống, cán bộ địa chính và cán bộ quy hoạch được nhập dữ liệu",
                           "only administrators, land officials and planners may import data")
    return viewer


def ward_bound(viewer: Viewer) -> bool:
    """Whether `viewer` imports only inside its wards."""
    return not viewer.is_admin and bool(viewer.roles & WARD_BOUND_ROLES)


def _has_ward(layer: Layer) -> bool:
    return "ward" in {f.name for f in layer.model_class._meta.concrete_fields}


def importable(viewer: Viewer) -> list[dict[str, str]]:
    """The layers (and for administrators the attribute tables) `viewer` may import into, with titles."""
    layers = [layer for layer in registry if viewer.is_admin
              or (viewer.can_write(layer, "create") and _has_ward(layer))]
    found = [{"id": layer.id, "title_vi": layer.title_vi, "title_en": layer.title_en} for layer in layers]
    if viewer.is_admin:
        found += [{"id": name, "title_vi": name, "title_en": name} for name in ATTRIBUTE_TABLES]
    return found


def check_target(viewer: Viewer, layer_id: str, mode: str) -> None:
    """403 unless `viewer` may import into `layer_id` in `mode` (400 for an unknown one)."""
    if mode not in MODES:
        raise BadUpload(f"mode: chế độ {mode!r} không có; chọn một trong {', '.join(MODES)}",
                        f"mode: unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if layer_id not in {item["id"] for item in importable(Viewer(roles=frozenset({"administrator"})))}:
        raise BadUpload(f"layer: không có lớp {layer_id!r}", f"layer: there is no layer {layer_id!r}")
    if viewer.is_admin:
        return
    if layer_id not in {item["id"] for item in importable(viewer)}:
        raise NotPermitted(f"layer: bạn không được nhập vào lớp {layer_id}",
                           f"layer: you may not import into {layer_id}")
    layer = registry.get(layer_id)
    operations = MODE_OPERATIONS.get(mode)
    if operations is None:
        raise NotPermitted("mode: chế độ thay thế (xóa toàn bộ lớp rồi nạp) chỉ dành cho quản trị hệ thống",
                           "mode: replace (delete the whole layer, then load) is for administrators only")
    if not all(viewer.can_write(layer, op) for op in operations):
        raise NotPermitted(f"mode: bạn không được {mode} lớp {layer_id}",
                           f"mode: you may not {mode} {layer_id}")


Rule = Callable[[pd.DataFrame, Target], list[Problem]]


def ward_rule(viewer: Viewer, layer_id: str, language: str) -> Rule | None:
    """The rule refusing rows outside a ward-bound viewer's wards (None for others), with the editing
    API's test (Viewer.can_edit_in_ward by the row's ward; for layers other than the cadastre, whose
    own rule keeps a parcel inside its ward, the shape too: Viewer.check_shape_in_wards), each refusal
    naming the ward by its name in `language`."""
    if not ward_bound(viewer):
        return None
    layer = registry.get(layer_id)
    mine = ", ".join(AdminUnit.objects.filter(pk__in=viewer.ward_ids).order_by("name")
                     .values_list("name", flat=True)) or ("chưa được giao" if language == "vi" else "none")

    def outside(ward: str) -> str:
        if language == "en":
            return (f"ward: {ward} is outside your assigned wards ({mine}); you may import "
                    f"{layer.title_en.lower()} only inside them")
        return (f"ward: {ward} nằm ngoài địa bàn được giao của bạn ({mine}); bạn chỉ được nhập "
                f"{layer.title_vi.lower()} trong địa bàn đó")

    def rule(rows: pd.DataFrame, target: Target) -> list[Problem]:
        column = target.model._meta.get_field("ward").column
        ids = [None if pd.isna(v) else int(v) for v in rows[column]]
        names = dict(AdminUnit.objects.filter(pk__in={i for i in ids if i}).values_list("pk", "name"))
        problems = []
        for index, ward in enumerate(ids):
            if ward is None:
                continue  # the importer says why (no commune holds it, a blank required value)
            if not viewer.can_edit_in_ward(layer, ward):
                problems.append(Problem(index + 1, outside(names.get(ward, "?")), "ward"))
            elif not layer.cadastral and rows["geom"].iloc[index] is not None:
                try:
                    viewer.check_shape_in_wards(layer, GEOSGeometry(rows["geom"].iloc[index], srid=4326))
                except Forbidden as exc:
                    problems.append(Problem(index + 1, str(exc), "geometry"))
        return problems

    return rule
