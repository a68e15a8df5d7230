"""The registry declares each layer once, with everything the platform derives from it."""

from __future__ import annotations

import pytest

from layers.registry import SUBSYSTEMS, Layer, LayerRegistry, Style, UnknownLayer, registry

EXPECTED_IDS = [
    "wards", "parcels", "zoning", "buildings", "roads", "water", "waterways", "schools", "health_facilities",
    "lodging", "service_points", "env_stations", "cameras", "incidents", "citizen_reports", "units",
    "detections", "detection_density", "alerts", "incident_steps", "emergency_stations", "directives",
    "isolation_sites", "vaccination_sites", "epidemic_cases",
]


def test_the_registry_holds_its_layers_in_declaration_order():
    assert registry.ids() == EXPECTED_IDS


def test_every_subsystem_of_an_ioc_has_a_layer_or_metric():
    covered = {layer.subsystem for layer in registry}
    assert covered | {"indicators"} == set(SUBSYSTEMS)
    assert registry.get("wards").metrics, "ward indicators carry the socio-economic subsystem"


@pytest.mark.parametrize("layer", list(registry), ids=lambda layer: layer.id)
def test_each_layer_is_complete(layer: Layer):
    model = layer.model_class
    fields = {f.name for f in model._meta.get_fields()}
    assert layer.title_vi and layer.title_en and layer.description_vi is not None
    assert set(layer.public_fields) <= fields
    assert set(layer.restricted_fields) <= fields
    assert layer.time_field is None or layer.time_field in fields
    assert layer.geometry_field in fields
    if layer.style.by:
        assert layer.style.by in fields and layer.style.vocabulary is not None


def test_personal_data_is_never_a_public_field():
    personal = {"stream_url", "full_name", "phone", "id_number", "email", "description"}
    for layer in registry:
        assert not personal & set(layer.public_fields), layer.id


def test_a_layer_cannot_be_declared_twice():
    local = LayerRegistry()
    layer = Layer(id="x", title_vi="X", title_en="X", model="layers.School", subsystem="education",
                  geometry_type="Point", public_fields=(), style=Style("circle", "#000"))
    local.register(layer)
    with pytest.raises(ValueError, match="declared twice"):
        local.register(layer)


def test_unknown_layer_names_the_known_ones():
    with pytest.raises(UnknownLayer, match="unknown layer 'parcel'; known layers: wards, parcels"):
        registry.get("parcel")


def test_every_published_field_has_a_vietnamese_and_an_english_label():
    unlabelled = [(layer.id, name) for layer in registry
                  for name in (*layer.public_fields, *layer.restricted_fields) if not layer.has_label(name)]
    assert unlabelled == []
