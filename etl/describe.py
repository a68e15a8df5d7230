"""What an import file for a layer may carry: each column, its type, whether it is required, its
codes; for `ioc layers describe LAYER` and the browser import's mapping step."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.gis.db import models

from etl.casting import describe_expected
from etl.importer import DERIVED
from etl.targets import Target, get_target
from layers import vocabularies
from layers.models import AdminUnit
from layers.registry import registry


@dataclass(frozen=True)
class Column:
    """One column an import file may have."""

    name: str
    type: str
    required: bool
    label: str = ""
    codes: tuple[tuple[str, str], ...] = ()  # (code, label) of a code list
    note: str = ""
    default: object = None


@dataclass(frozen=True)
class Description:
    target: Target
    geometry: str | None
    columns: list[Column] = field(default_factory=list)


def describe(layer: str) -> list[Column]:
    """The columns of an import into `layer` (a layer id or an attribute table)."""
    return describe_target(get_target(layer)).columns


def describe_target(target: Target) -> Description:
    """The geometry type and columns of an import into `target`."""
    model = target.model
    columns: list[Column] = []
    for f in model._meta.concrete_fields:
        if f.auto_created or f.name in DERIVED or isinstance(f, models.GeometryField):
            continue
        if isinstance(f, models.ForeignKey):
            columns.extend(_reference_columns(f, target))
            continue
        default = target.defaults.get(f.name, f.get_default() if f.has_default() else None)
        optional = f.null or f.blank or f.has_default() or f.name in target.defaults
        required = not optional or f.name in target.key
        codes = _codes(f)
        columns.append(Column(f.name, describe_expected(f) if not codes else "a code", required,
                              str(f.verbose_name), codes, default=default))
    return Description(target, target.geometry_type, columns)


def _reference_columns(f: models.ForeignKey, target: Target) -> list[Column]:
    spec = target.lookups.get(f.name)
    if spec is None:
        return []
    layers = registry.for_model(f.related_model)
    what = f"a code from layer {layers[0].id}" if layers else f"a code of {f.related_model._meta.label}"
    placed = f.related_model is AdminUnit and target.model is not AdminUnit and target.geometry_type
    note = ("left blank: the commune holding the geometry on the feature's day; given: it must hold it"
            if placed else "")
    required = not (f.null or placed) or (f.name in target.key and not placed)
    return [Column(column, what, bool(required), f"{f.verbose_name} ({path})", note=note)
            for path, column in spec.items()]


def _codes(f: models.Field) -> tuple[tuple[str, str], ...]:
    """(code, "vi / en") of a coded field, from its code list in layers.vocabularies when found."""
    if not f.choices:
        return ()
    codes = tuple(str(code) for code, _ in f.flatchoices)
    for vocabulary in vars(vocabularies).values():
        if isinstance(vocabulary, vocabularies.Vocabulary) and vocabulary.codes == codes:
            return tuple((t.code, f"{t.vi} / {t.en}") for t in vocabulary.terms)
    return tuple((str(code), str(label)) for code, label in f.flatchoices)
