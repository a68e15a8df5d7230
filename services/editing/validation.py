"""Checks an edited feature must pass, with messages that name the problem and the fix.

Geometry: valid and simple, inside Vietnam, and for parcels inside their ward and not overlapping a
neighbour beyond a small tolerance; a ward left blank is the commune holding the geometry.
Attributes: only writable fields, values of the right type and code list, unique numbers (Django's
full_clean, which also checks the unique constraints).
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import translation
from shapely import wkb

from layers import cadastre
from layers.communes import communes_at, day_of
from layers.registry import Layer
from services.editing.errors import InvalidEdit, TakenNumber
from spatial.access import OUTSIDE_WARD_TOLERANCE_M2
from spatial.params import whole_number
from spatial.vietnam import inside_vietnam

OVERLAP_TOLERANCE_M2 = cadastre.OVERLAP_TOLERANCE_M2
POLYGONAL = {"Polygon", "MultiPolygon"}


def set_properties(instance: models.Model, layer: Layer, properties: dict) -> None:
    """Write the given properties onto the instance; refuse unknown, read-only and bad values."""
    writable = layer.writable_fields
    refused = sorted(set(properties) - set(writable))
    if refused:
        raise InvalidEdit(f"các thuộc tính {refused} không có hoặc chỉ được đọc; được sửa trong {layer.id}: "
                          f"{list(writable)}",
                          f"unknown or read-only properties {refused}; editable in {layer.id}: "
                          f"{list(writable)}")
    for name, value in properties.items():
        field = instance._meta.get_field(name)
        target = field.target_field if field.is_relation else field
        try:
            converted = target.to_python(value)
        except ValidationError as exc:
            vi, en = _both(exc)
            raise InvalidEdit(f"{_named(layer, name)}: {value!r} — {'; '.join(vi)}",
                              f"{_named(layer, name, 'en')}: {value!r} — {'; '.join(en)}") from None
        _check_range(name, target, converted)
        if field.is_relation and converted is not None \
                and not field.related_model._default_manager.filter(pk=converted).exists():
            raise InvalidEdit(f"{_named(layer, name)}: không có {converted}",
                              f"{_named(layer, name, 'en')}: there is no {converted}")
        setattr(instance, field.attname, converted)


def _named(layer: Layer, name: str, language: str = "vi") -> str:
    """A field as messages name it: its code and, where the layer has one, its label."""
    label = layer.label(name, language) if layer.has_label(name) else ""
    return f"{name} ({label})" if label and label != name else name


def _both(exc: ValidationError) -> tuple[list[str], list[str]]:
    """Django's messages of `exc` in Vietnamese and in English."""
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            texts.append([str(message) for message in exc.messages])
    return texts[0], texts[1]


def _check_range(name: str, field: models.Field, value: object) -> None:
    """Refuse a whole number outside its column's range (PostgreSQL would refuse the statement)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidEdit(f"{name}: {value} nằm ngoài khoảng cho phép ({low} đến {high})",
                          f"{name}: {value} is out of range ({low} to {high})")


def set_geometry(instance: models.Model, layer: Layer, geometry: GEOSGeometry) -> None:
    """Check and set the geometry (promoted to multi-part where the layer stores multi-parts)."""
    if not geometry.valid:
        raise InvalidEdit(f"geometry: hình thể không hợp lệ ({geometry.valid_reason}); hãy sửa lại, ví "
                          f"dụ các cạnh "
                          "không được cắt nhau (QGIS: Fix Geometries)",
                          f"geometry is invalid: {geometry.valid_reason}; fix it (e.g. QGIS Fix Geometries)")
    if layer.geometry_type.startswith("Multi") and not geometry.geom_type.startswith("Multi"):
        from django.contrib.gis import geos

        multi = {"Polygon": geos.MultiPolygon, "LineString": geos.MultiLineString, "Point": geos.MultiPoint}
        geometry = multi[geometry.geom_type](geometry, srid=4326)
    if geometry.geom_type != layer.geometry_type:
        raise InvalidEdit(f"geometry: hình thể là {geometry.geom_type}; lớp {layer.id} nhận "
                          f"{layer.geometry_type}",
                          f"geometry is a {geometry.geom_type}; layer {layer.id} takes {layer.geometry_type}")
    if not inside_vietnam([wkb.loads(bytes(geometry.wkb))])[0]:
        x, y = geometry.centroid.coords
        raise InvalidEdit(f"geometry: hình thể nằm ngoài Việt Nam (quanh kinh độ {x:.4f}, vĩ độ "
                          f"{y:.4f}); hãy "
                          "kiểm tra hệ toạ độ (Content-Crs) và thứ tự trục",
                          f"geometry lies outside Vietnam (around lon {x:.4f}, lat {y:.4f}); "
                          "check the CRS (Content-Crs) and the axis order")
    setattr(instance, layer.geometry_field, geometry)
    set_ward_from_geometry(instance, layer)


def set_ward_from_geometry(instance: models.Model, layer: Layer) -> None:
    """A feature whose ward is left blank belongs to the commune holding its geometry on its day
    (the local date of its time field, today without one): layers.communes."""
    if "ward" not in {f.name for f in instance._meta.concrete_fields} or instance.ward_id is not None:
        return
    geometry = getattr(instance, layer.geometry_field)
    if geometry is None:
        return
    moment = getattr(instance, layer.time_field) if layer.time_field else None
    (instance.ward_id,) = communes_at([geometry.ewkt], [day_of(moment)])


def sent_ward(value: object) -> int:
    """The ward id a client sent (a layer whose ward follows the shape compares it with the shape's)."""
    pk = value if isinstance(value, int) and not isinstance(value, bool) else whole_number(str(value))
    if pk is None or not 0 < pk < 2**63:
        raise InvalidEdit(f"ward: {str(value)[:40]!r} không phải phường/xã; phường/xã đi theo hình thể",
                          f"ward: {str(value)[:40]!r} is not a ward; the ward follows the shape")
    return pk


def set_ward_of_shape(instance: models.Model, layer: Layer, reference: int | None) -> None:
    """The ward of a feature whose ward follows its shape: the commune holding the shape, in the
    administrative structure of `reference` (its stored or sent ward: on that ward's first day), else
    on the feature's day (layers.communes). 400 when no commune holds it."""
    units = instance._meta.get_field("ward").related_model._default_manager
    day = units.filter(pk=reference).values_list("valid_from", flat=True).first() if reference else None
    if day is None:
        day = day_of(getattr(instance, layer.time_field) if layer.time_field else None)
    (instance.ward_id,) = communes_at([getattr(instance, layer.geometry_field).ewkt], [day])
    if instance.ward_id is None:
        raise InvalidEdit("geometry: hình thể không nằm trong phường/xã nào",
                          "geometry: the shape lies in no ward or commune")


def unit_name(instance: models.Model, ward_id: int) -> str:
    """The name of ward `ward_id` ("?" when there is none)."""
    units = instance._meta.get_field("ward").related_model._default_manager
    return units.filter(pk=ward_id).values_list("name", flat=True).first() or "?"


def check_parcel_geometry(instance: models.Model) -> None:
    """A parcel lies inside its ward and overlaps no neighbour by more than the tolerance (the
    cadastre's rules, layers.cadastre, which the importer asks too)."""
    (breach,) = cadastre.breaches(type(instance), [instance.geom.ewkt], [instance.ward_id], [instance.pk])
    if breach is None:
        return
    ward = ward_name(instance)
    if breach.rule == "overlap":
        worst = _worst_overlap(instance)
        raise InvalidEdit(f"geometry: hình thể chồng lên thửa {worst[2]} tờ {worst[1]} (số hiệu {worst[0]}) "
                          f"{worst[3]:.2f} m², quá dung sai {cadastre.OVERLAP_TOLERANCE_M2} m²; hãy kéo "
                          f"đỉnh về "
                          "đúng ranh giới chung", breach.message, ward=ward)
    if breach.rule == "inside_ward":
        raise InvalidEdit(f"geometry: {_outside(instance):.1f} m² của hình thể nằm ngoài phường/xã {ward} "
                          f"(dung sai {OUTSIDE_WARD_TOLERANCE_M2} m²); một thửa đất thuộc một phường/xã",
                          breach.message, ward=ward)
    raise InvalidEdit("ward: thửa đất phải thuộc một phường/xã", breach.message)


def ward_name(instance: models.Model) -> str | None:
    """The name of the feature's ward (None without one)."""
    if instance.ward_id is None:
        return None
    unit = instance._meta.get_field("ward").related_model
    return unit._default_manager.filter(pk=instance.ward_id).values_list("name", flat=True).first()


def _worst_overlap(instance: models.Model) -> tuple:
    """(id, sheet, number, m²) of the neighbour the parcel overlaps most."""
    others = type(instance)._default_manager.exclude(pk=instance.pk).filter(geom__intersects=instance.geom)
    worst = max(((p.pk, p.sheet_no, p.parcel_no, _area(p.geom.intersection(instance.geom))) for p in others),
                key=lambda row: row[3], default=(None, None, None, 0.0))
    return worst


def _outside(instance: models.Model) -> float:
    unit = instance._meta.get_field("ward").related_model._default_manager.get(pk=instance.ward_id)
    return _area(instance.geom.difference(unit.geom))


def _area(geometry: GEOSGeometry) -> float:
    """Square metres of a geometry in EPSG:4326 (on the spheroid, as the database computes areas)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(%s::geometry::geography)", [geometry.ewkt])
        return cursor.fetchone()[0]


def full_clean(instance: models.Model) -> None:
    """Django's field, choice and uniqueness validation, as 400 (or 409 for a taken number), in
    Vietnamese and English."""
    try:
        instance.full_clean(exclude=["version", "created_at", "updated_at", "area_m2"])
    except ValidationError as exc:
        vi, en = ({field: list(map(str, errors)) for field, errors in _in(language, exc).items()}
                  for language in ("vi", "en"))
        if "__all__" in en and any("already exists" in m for m in en["__all__"]):
            raise TakenNumber(f"{'; '.join(vi['__all__'])} (số tờ, số thửa không được trùng trong phường/xã)",
                              f"{'; '.join(en['__all__'])} (numbers must be unique in the ward)",
                              ward=ward_name(instance)) from None
        raise InvalidEdit("; ".join(f"{field}: {' '.join(errors)}" for field, errors in vi.items()),
                          "; ".join(f"{field}: {' '.join(errors)}" for field, errors in en.items())) from None


def _in(language: str, exc: ValidationError) -> dict:
    with translation.override(language):
        return {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
