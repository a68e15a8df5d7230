"""Layer models take their names from the declaration (layers.catalog), not the other way round.

When a model of this app is prepared, the layer that publishes it gives its fields their labels
(the layer's own, else the shared ones of layers.labels) and, when the layer publishes every row of
the model (no `filter`), its title. A field given a verbose_name in the model keeps it. The catalog
imports no model, so it can be read while models are being defined.
"""

from __future__ import annotations

from django.db.models import Model
from django.db.models.signals import class_prepared


def _named_by_django(field: object) -> bool:
    """Whether the field's verbose_name is Django's default (its name with spaces)."""
    return field.verbose_name == field.name.replace("_", " ")


def take_names_from_declaration(sender: type[Model], **kwargs: object) -> None:
    """class_prepared: name a layer model and its fields as the layer that publishes it does."""
    meta = sender._meta
    if meta.app_label != "layers" or meta.abstract:
        return
    from layers.catalog import registry

    layers = registry.for_model(sender)
    if not layers:
        return
    for field in [*meta.local_fields, *meta.local_many_to_many]:
        for layer in layers:
            if _named_by_django(field) and layer.has_label(field.name):
                field.verbose_name = field._verbose_name = layer.label(field.name)  # _: what migrations see
    whole = [layer for layer in layers if not layer.filter]
    if whole:
        meta.verbose_name = meta.verbose_name_plural = whole[0].title_vi
        meta.original_attrs["verbose_name"] = whole[0].title_vi  # what migrations record


class_prepared.connect(take_names_from_declaration)
