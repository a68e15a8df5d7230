"""What a layer declares for the map's one search box (Layer.search), and its start-up check.

The search service (web_map.search) reads only these declarations: which layers are searched, in
which fields, how a hit is named and labelled. Nothing else lists searchable layers.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import checks
from django.core.exceptions import FieldDoesNotExist

if TYPE_CHECKING:
    from layers.registry import Layer

# What a hit is, with its vi/en names; the order ranks hits that match equally well.
SEARCH_KINDS: dict[str, tuple[str, str]] = {
    "ward": ("Phường, xã", "Ward or commune"),
    "parcel": ("Thửa đất", "Parcel"),
    "building": ("Nhà, công trình", "Building"),
    "street": ("Đường phố", "Street"),
    "facility": ("Cơ sở", "Facility"),
    "camera": ("Camera", "Camera"),
    "incident": ("Sự cố", "Incident"),
    "report": ("Phản ánh", "Citizen report"),
    "place": ("Địa danh", "Place"),
    "address": ("Địa chỉ", "Address"),
    "owner": ("Chủ sử dụng đất", "Land user"),
}
# "words": the words typed, diacritics and case ignored, in order or forgiving a slip (a pg_trgm
# index on ioc_fold(field)); "code": the whole code or its start, case ignored (a b-tree index).
SEARCH_MATCHES = ("words", "code")


@dataclass(frozen=True)
class SearchField:
    """A field the search box looks in.

    `name` is a field of the layer's model or, through a relation, of rows kept beside the layer
    (``owners__full_name``: the parcel's owners). `kind` names a hit in this field when it is not the
    layer's kind (a parcel found by its address is an "address"). A field of the layer is searched
    for whoever may read it (spatial.access.Viewer.readable_fields); `roles` narrows that further, and
    a field through a relation is searched only for those `roles` (and administrators). `fuzzy`: words
    nearly typed are found too ('dong tarn'); off for long texts full of common words (addresses),
    where near matches are many and worth little.
    """

    name: str
    match: str = "words"
    kind: str | None = None
    roles: tuple[str, ...] = ()
    fuzzy: bool = True

    @property
    def related(self) -> bool:
        return "__" in self.name


@dataclass(frozen=True)
class Search:
    """How the search box finds a layer's features.

    Example: ``Search("parcel", (SearchField("address", kind="address"),), label_vi="Tờ {sheet_no}
    thửa {parcel_no}", label_en="Sheet {sheet_no} parcel {parcel_no}", sheet_parcel=("sheet_no",
    "parcel_no"))``. Labels are templates over public fields; `sheet_parcel` names the sheet and
    parcel numbers read from "tờ 12 thửa 345", "12/345", "t12 th345" (web_map.parcel_numbers);
    `current` a field that is empty while a feature is in force (valid_to): those rank first;
    `in_area` False keeps the layer out of the narrowing to a chosen ward (the wards themselves).
    """

    kind: str
    fields: tuple[SearchField, ...]
    label_vi: str = "{name}"
    label_en: str = ""
    sheet_parcel: tuple[str, str] | None = None
    current: str | None = None
    in_area: bool = True

    def label(self, values: dict, language: str = "vi") -> str:
        template = (self.label_en or self.label_vi) if language == "en" else self.label_vi
        return template.format_map({key: "" if value is None else value for key, value in values.items()})

    @property
    def label_fields(self) -> tuple[str, ...]:
        return template_fields(self.label_vi) + template_fields(self.label_en)


def template_fields(template: str) -> tuple[str, ...]:
    """The fields a label template reads: '{sheet_no}/{parcel_no}' → ('sheet_no', 'parcel_no')."""
    return tuple(dict.fromkeys(name for _text, name, _spec, _conv in string.Formatter().parse(template or "")
                               if name))


def _error(layer: Layer, message: str, hint: str) -> checks.Error:
    return checks.Error(f"layer {layer.id!r}: search {message}", hint=hint, obj=f"layers.catalog:{layer.id}",
                        id="layers.E020")


def _field_problem(model: type, path: str) -> str | None:
    """Why `path` (a field, or relation__field) is not a field of `model`, or None."""
    *relations, name = path.split("__")
    for relation in relations:
        try:
            model = model._meta.get_field(relation).related_model
        except FieldDoesNotExist:
            return f"{relation!r} is not a relation of {model._meta.label}"
        if model is None:
            return f"{relation!r} is not a relation"
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return f"{name!r} is not a field of {model._meta.label}"
    return None


def search_errors(layer: Layer) -> list[checks.Error]:
    """What is wrong with a layer's search declaration (empty when nothing is)."""
    search = layer.search
    if search is None:
        return []
    model, errors = layer.model_class, []
    for kind in {search.kind, *(field.kind for field in search.fields if field.kind)}:
        if kind not in SEARCH_KINDS:
            errors.append(_error(layer, f"kind {kind!r} is unknown", f"use one of {list(SEARCH_KINDS)}"))
    for field in search.fields:
        if field.match not in SEARCH_MATCHES:
            errors.append(_error(layer, f"field {field.name!r} has match {field.match!r}",
                                 f"use one of {SEARCH_MATCHES}"))
        if problem := _field_problem(model, field.name):
            errors.append(_error(layer, f"field {field.name!r}: {problem}", "name a field of the model"))
        elif field.related and not field.roles:
            errors.append(_error(layer, f"field {field.name!r} lies beside the layer and names no roles",
                                 "say who may search it: roles=(...)"))
        elif not field.related and field.name not in (*layer.public_fields, *layer.restricted_fields):
            errors.append(_error(layer, f"field {field.name!r} is not a readable field of the layer",
                                 "list it in public_fields or restricted_fields"))
    named = {*search.label_fields, *(search.sheet_parcel or ()),
             *([search.current] if search.current else [])}
    errors += [_error(layer, f"labels, numbers or current name {name!r}, not a public field",
                      "a label is shown to whoever reads the layer: name public fields")
               for name in sorted(named) if name not in layer.public_fields]
    return errors


@checks.register(checks.Tags.models)
def check_search_declarations(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Every registered layer's search declaration (layers.catalog)."""
    from layers.registry import registry

    return [error for layer in registry for error in search_errors(layer)]
