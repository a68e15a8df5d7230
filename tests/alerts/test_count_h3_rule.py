"""Count rules by H3 cell: at least N events of the window inside one hexagon of the declared resolution
open one alert per cell, its CAP area the hexagon; events that are close but fall in two cells count in
each cell apart; the resolution must be one the rule can use."""

from __future__ import annotations

import h3
import pytest
from alert_data import HOUR, PLACE, T0, incident
from django.core.exceptions import ValidationError

from alerts.evaluate import evaluate_all
from alerts.models import Alert

pytestmark = pytest.mark.django_db
RESOLUTION = 9  # hexagons of about 0.1 km², edges of about 200 m
CELL = h3.latlng_to_cell(PLACE[1], PLACE[0], RESOLUTION)


@pytest.fixture
def cell_rule(rule):
    return rule("accidents-h3", "count", "incidents", filters={"category": "traffic_accident"}, min_count=5,
                grouping="h3", h3_resolution=RESOLUTION, window_minutes=24 * 60, severity="Moderate",
                category="Transport", name="Nhiều tai nạn trong một ô",
                name_en="Several accidents in one cell")


def accidents_in(cell: str, count: int, prefix: str) -> list[int]:
    """`count` accidents an hour apart, a few metres around the cell's centre."""
    lat, lon = h3.cell_to_latlng(cell)
    return [incident(f"{prefix}-{n}", T0 + n * HOUR, lon + n * 0.00005, lat).pk for n in range(count)]


def test_five_accidents_in_one_cell_open_one_alert_over_the_hexagon(cell_rule):
    ids = accidents_in(CELL, 5, "H3A")
    (alert,) = Alert.objects.filter(pk__in=evaluate_all(T0 + 5 * HOUR).opened)
    assert (alert.subject, alert.value, alert.source_ids, alert.radius_m) == (f"h3:{CELL}", 5.0, ids, None)
    lat, lon = h3.cell_to_latlng(CELL)
    assert abs(alert.geom.x - lon) < 1e-7 and abs(alert.geom.y - lat) < 1e-7
    (hexagon,) = alert.area  # the CAP polygon: the cell's own boundary
    corners = [(round(x, 6), round(y, 6)) for x, y in hexagon.exterior_ring.coords[:-1]]
    assert corners == [(round(lng, 6), round(lat, 6)) for lat, lng in h3.cell_to_boundary(CELL)]
    assert alert.ward_id is not None

    evaluate_all(T0 + 6 * HOUR)  # still five in the window: the same alert
    assert Alert.objects.filter(rule=cell_rule).count() == 1


def test_close_accidents_in_two_cells_count_apart(cell_rule):
    neighbour = sorted(h3.grid_ring(CELL, 1))[0]
    accidents_in(CELL, 3, "H3B")
    accidents_in(neighbour, 3, "H3C")  # six accidents within a few hundred metres: three per cell
    assert evaluate_all(T0 + 5 * HOUR).opened == []


def test_the_resolution_must_be_one_the_rule_can_use(rule):
    with pytest.raises(ValidationError) as refused:
        rule("h3-too-fine", "count", "incidents", min_count=5, grouping="h3", h3_resolution=15)
    assert "h3_resolution" in refused.value.message_dict
