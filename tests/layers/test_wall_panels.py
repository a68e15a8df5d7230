"""The map wall's side panels find their layer in the registry (`Layer.panel`), never by a layer id
written in the front end: each panel is declared by one layer, `/api/layers` says which, and a panel
the wall does not have, or one declared twice, fails `ioc check` (layers.E014, E015)."""

from __future__ import annotations

import dataclasses

import pytest

from layers.checks import _panels_shared, layer_errors
from layers.registry import WALL_PANELS, registry


def test_every_panel_of_the_wall_is_declared_by_exactly_one_layer():
    declared = [layer.panel for layer in registry if layer.panel]
    assert sorted(declared) == sorted(WALL_PANELS)
    assert _panels_shared(list(registry)) == []


def test_a_panel_the_wall_does_not_have_is_an_error():
    errors = layer_errors(dataclasses.replace(registry.get("incidents"), panel="kanban"))
    assert [error.id for error in errors] == ["layers.E014"]
    assert "'kanban'" in errors[0].msg and "incident" in errors[0].hint


def test_a_panel_declared_twice_is_an_error():
    twin = dataclasses.replace(registry.get("cameras"), panel="incident")
    errors = _panels_shared([*registry, twin])
    assert [error.id for error in errors] == ["layers.E015"]
    assert "'incidents'" in errors[0].msg


@pytest.mark.django_db
def test_the_layers_api_names_each_readable_layers_panel(client, as_user):
    layers = client.get("/api/layers", **as_user("vanhanh")).json()["layers"]
    panels = {layer["panel"]: layer["id"] for layer in layers if layer["panel"]}
    assert panels == {layer.panel: layer.id for layer in registry if layer.panel}


def test_a_style_label_over_an_unknown_field_is_an_error():
    parcels = registry.get("parcels")
    errors = layer_errors(dataclasses.replace(parcels, style=dataclasses.replace(parcels.style,
                                                                                 label="{sheet}/{parcel_no}")))
    assert [error.id for error in errors] == ["layers.E016"]
    assert "sheet" in errors[0].msg
    assert layer_errors(parcels) == []
