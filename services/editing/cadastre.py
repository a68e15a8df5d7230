"""Cadastral operations: split a parcel by a line, merge adjacent parcels; lineage is kept.

Each runs in one transaction through the same Editor (permissions, versions, validation, history).
Children get new parcel numbers on the parent's sheet; parents are retired (deleted, so history
holds them) and ParcelLineage links parents and children both ways.
"""

from __future__ import annotations

import json

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db.models import Max
from shapely import wkb
from shapely.ops import split as split_polygon

from layers.models import Parcel, ParcelLineage, ParcelOwner
from services.editing import validation
from services.editing.errors import InvalidEdit
from services.editing.geojson import read_geometry
from services.editing.service import Editor, Written
from spatial.errors import PreconditionFailed

MIN_PIECE_M2 = 1.0


def _next_numbers(ward_id: int, sheet_no: int, count: int) -> list[int]:
    top = Parcel.objects.filter(ward_id=ward_id, sheet_no=sheet_no).aggregate(m=Max("parcel_no"))["m"] or 0
    return [top + k for k in range(1, count + 1)]


def _child(parent: Parcel, shape: shapely.Geometry, number: int) -> Parcel:
    geometry = GEOSGeometry(shape.wkt, srid=4326)
    if geometry.geom_type == "Polygon":
        geometry = MultiPolygon(geometry, srid=4326)
    return Parcel(
        ward_id=parent.ward_id,
        sheet_no=parent.sheet_no,
        parcel_no=number,
        land_use=parent.land_use,
        address=parent.address,
        owner_type=parent.owner_type,
        geom=geometry,
    )


def _link(parents: list[int], children: list[Parcel], operation: str, actor: str) -> None:
    ParcelLineage.objects.bulk_create(
        ParcelLineage(parent_id=p, child_id=c.pk, operation=operation, actor=actor)
        for p in parents
        for c in children
    )


def _owners(parents: list[Parcel]) -> list[dict]:
    """The land users of the parents, once each (they carry over to the new parcels)."""
    rows = ParcelOwner.objects.filter(parcel__in=parents).values(
        "full_name", "id_number", "phone", "address", "share_pct"
    )
    return list({(r["full_name"], r["id_number"]): r for r in rows}.values())


def _save_children(children: list[Parcel], owners: list[dict]) -> None:
    for child in children:
        validation.full_clean(child)
        child.save()
    for child in children:  # overlaps are checked once every piece exists
        validation.check_parcel_geometry(child)
    ParcelOwner.objects.bulk_create(
        ParcelOwner(parcel=child, **owner) for child in children for owner in owners
    )


def split(editor: Editor, fid: str, body: dict, crs: object, if_match: str | None) -> list[Written]:
    """Split parcel `fid` by the line in body["line"]; returns the new parcels."""
    editor.require("create", "delete")
    with editor._transaction():
        parent = editor._locked(fid, if_match)
        editor._check_ward(parent.ward_id)
        line = wkb.loads(bytes(read_geometry(body.get("line"), crs).wkb))
        if line.geom_type not in ("LineString", "MultiLineString"):
            raise InvalidEdit("line: cần một đường (GeoJSON LineString) cắt ngang thửa",
                              "line must be a GeoJSON LineString crossing the parcel")
        pieces = list(split_polygon(wkb.loads(bytes(parent.geom.wkb)), line).geoms)
        if len(pieces) < 2:
            raise InvalidEdit("line: đường không chia thửa thành hai phần; hãy vẽ cắt ngang thửa, từ "
                              "mép này sang mép kia",
                              "the line does not cut the parcel in two: draw it across the parcel, end "
                              "to end")
        areas = [GEOSGeometry(p.wkt, srid=4326).transform(3405, clone=True).area for p in pieces]
        if min(areas) < MIN_PIECE_M2:
            raise InvalidEdit(f"line: một phần sẽ nhỏ hơn {MIN_PIECE_M2} m²; hãy dời đường cắt",
                              f"a piece would be smaller than {MIN_PIECE_M2} m²; move the line")
        numbers = _next_numbers(parent.ward_id, parent.sheet_no, len(pieces))
        children = [_child(parent, piece, number) for piece, number in zip(pieces, numbers, strict=True)]
        parent_id, owners = parent.pk, _owners([parent])
        parent.delete()
        _save_children(children, owners)
        _link([parent_id], children, "split", editor.viewer.username)
    return [editor._written(child.pk) for child in children]


def merge(editor: Editor, body: dict) -> Written:
    """Merge the parcels in body["items"] ([{"id": …, "version": …}, …]) into one new parcel."""
    editor.require("create", "delete")
    items = _merge_items(body.get("items"))
    with editor._transaction():
        # rows are locked in id order, whatever order the request names them in: two merges of the
        # same parcels then queue one behind the other instead of deadlocking
        parents = [editor._locked(str(pk), f'"{version}"', gone=PreconditionFailed) for pk, version in items]
        wards = {p.ward_id for p in parents}
        if len(wards) != 1:
            raise InvalidEdit("items: không gộp được các thửa thuộc những phường/xã khác nhau",
                              "parcels of different wards cannot be merged")
        for parent in parents:
            editor._check_ward(parent.ward_id)
        union = shapely.union_all([wkb.loads(bytes(p.geom.wkb)) for p in parents])
        if union.geom_type != "Polygon":
            raise InvalidEdit("items: các thửa không liền kề; chỉ gộp được các thửa có chung cạnh",
                              "the parcels are not adjacent: they must share an edge to be merged")
        largest = max(parents, key=lambda p: p.area_m2)
        child = _child(largest, union, _next_numbers(largest.ward_id, largest.sheet_no, 1)[0])
        parent_ids, owners = [p.pk for p in parents], _owners(parents)
        Parcel.objects.filter(pk__in=parent_ids).delete()
        _save_children([child], owners)
        _link(parent_ids, [child], "merge", editor.viewer.username)
    return editor._written(child.pk)


MERGE_EXAMPLE = '{"items": [{"id": 1, "version": 3}, {"id": 2, "version": 1}]}'


def _merge_items(items: object) -> list[tuple[int, int]]:
    """(id, version) of each parcel named by a merge request, in id order; 400 naming a bad one."""
    if not isinstance(items, list) or len(items) < 2:
        raise InvalidEdit(f"items: hãy gửi từ hai thửa trở lên, ví dụ {MERGE_EXAMPLE}",
                          f"items: send two or more parcels, e.g. {MERGE_EXAMPLE}")
    named: dict[int, int] = {}
    for number, item in enumerate(items, 1):
        pk = item.get("id") if isinstance(item, dict) else None
        version = item.get("version") if isinstance(item, dict) else None
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**63 for v in (pk, version)):
            raise InvalidEdit(f"items: mục {number} ({json.dumps(item)[:80]}) cần id và version là số "
                              f"nguyên, "
                              f"ví dụ {MERGE_EXAMPLE}",
                              f"items: item {number} ({json.dumps(item)[:80]}) needs a whole-number id and "
                              f"version, e.g. {MERGE_EXAMPLE}")
        if pk in named:
            raise InvalidEdit(f"items: thửa {pk} được nêu hai lần", f"items: parcel {pk} is named twice")
        named[pk] = version
    return sorted(named.items())


def lineage(fid: int) -> dict:
    """Direct parents and children of a parcel, and all its ancestors and descendants."""

    def walk(start: list[int], up: bool) -> list[int]:
        seen: list[int] = []
        frontier = start
        while frontier:
            links = ParcelLineage.objects.filter(**{"child_id__in" if up else "parent_id__in": frontier})
            frontier = [link.parent_id if up else link.child_id for link in links]
            frontier = [f for f in frontier if f not in seen]
            seen.extend(frontier)
        return seen

    parents = list(ParcelLineage.objects.filter(child_id=fid).values_list("parent_id", flat=True))
    children = list(ParcelLineage.objects.filter(parent_id=fid).values_list("child_id", flat=True))
    return {
        "id": fid,
        "parents": parents,
        "children": children,
        "ancestors": walk([fid], up=True),
        "descendants": walk([fid], up=False),
    }
