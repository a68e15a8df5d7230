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
from shapely import wkb

from layers import cadastre
from layers.communes import communes_at, day_of
from layers.registry import Layer
from spatial.errors import BadRequest, Conflict
from spatial.vietnam import inside_vietnam

OVERLAP_TOLERANCE_M2 = cadastre.OVERLAP_TOLERANCE_M2
POLYGONAL = {"Polygon", "MultiPolygon"}


def set_properties(instance: models.Model, layer: Layer, properties: dict) -> None:
    """Write the given properties onto the instance; refuse unknown, read-only and bad values."""
    writable = layer.writable_fields
    refused = sorted(set(properties) - set(writable))
    if refused:
        raise BadRequest(f"unknown or read-only properties {refused}; "
                         f"editable in {layer.id}: {list(writable)}")
    for name, value in properties.items():
        field = instance._meta.get_field(name)
        target = field.target_field if field.is_relation else field
        try:
            converted = target.to_python(value)
        except ValidationError as exc:
            raise BadRequest(f"{name}: {value!r} — {'; '.join(exc.messages)}") from None
        _check_range(name, target, converted)
        if field.is_relation and converted is not None \
                and not field.related_model._default_manager.filter(pk=converted).exists():
            raise BadRequest(f"{name}: there is no {field.related_model._meta.verbose_name} {converted}")
        setattr(instance, field.attname, converted)


def _check_range(name: str, field: models.Field, value: object) -> None:
    """Refuse a whole number outside its column's range (PostgreSQL would refuse the statement)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadRequest(f"{name}: {value} is out of range ({low} to {high})")


def set_geometry(instance: models.Model, layer: Layer, geometry: GEOSGeometry) -> None:
    """Check and set the geometry (promoted to multi-part where the layer stores multi-parts)."""
    if not geometry.valid:
        raise BadRequest(f"geometry is invalid: {geometry.valid_reason}; fix it (e.g. QGIS Fix Geometries)")
    if layer.geometry_type.startswith("Multi") and not geometry.geom_type.startswith("Multi"):
        from django.contrib.gis import geos

        multi = {"Polygon": geos.MultiPolygon, "LineString": geos.MultiLineString, "Point": geos.MultiPoint}
        geometry = multi[geometry.geom_type](geometry, srid=4326)
    if geometry.geom_type != layer.geometry_type:
        raise BadRequest(f"geometry is a {geometry.geom_type}; layer {layer.id} takes {layer.geometry_type}")
    if not inside_vietnam([wkb.loads(bytes(geometry.wkb))])[0]:
        x, y = geometry.centroid.coords
        raise BadRequest(f"geometry lies outside Vietnam (around lon {x:.4f}, lat {y:.4f}); "
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


def check_parcel_geometry(instance: models.Model) -> None:
    """A parcel lies inside its ward and overlaps no neighbour by more than the tolerance (the
    cadastre's rules, layers.cadastre, which the importer asks too)."""
    (breach,) = cadastre.breaches(type(instance), [instance.geom.ewkt], [instance.ward_id], [instance.pk])
    if breach is not None:
        raise BadRequest(breach.message)


def full_clean(instance: models.Model) -> None:
    """Django's field, choice and uniqueness validation, as 400 (or 409 for a taken number)."""
    try:
        instance.full_clean(exclude=["version", "created_at", "updated_at", "area_m2"])
    except ValidationError as exc:
        messages = {field: list(errors) for field, errors in exc.message_dict.items()}
        if "__all__" in messages and any("already exists" in m or "đã tồn tại" in m
                                          for m in messages["__all__"]):
            raise Conflict(f"{'; '.join(messages['__all__'])} (numbers must be unique in the ward)") from None
        raise BadRequest("; ".join(f"{field}: {' '.join(errors)}" for field, errors in messages.items())) \
            from None
