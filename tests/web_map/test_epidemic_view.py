"""The epidemic watch on the map wall (headless Chromium, the demo's outbreak): anonymous visitors get the
commune-days' counts from 1 to 4 as "< 5" in the tiles the map draws, a leader signed in gets the real
figures of the same features, and the legend states the class "Dưới 5 ca"."""

from __future__ import annotations

import pytest
from wall import jump, open_wall, show_view, sign_in

from layers.models import AdminUnit

pytestmark = pytest.mark.django_db


def drawn_cases(page) -> dict[int, object]:
    """new_cases of every epidemic_cases feature the first panel draws, by id."""
    features = page.evaluate(
        "window.ioc.panels[0].map.queryRenderedFeatures({layers: ['epidemic_cases']})"
        ".map(f => [f.id, f.properties.new_cases])")
    return dict(features)


def look_at_the_smallest_commune(page) -> None:
    show_view(page, "health")
    unit = AdminUnit.objects.communes().filter(valid_to__isnull=True).order_by("population").first()
    point = unit.geom.point_on_surface
    jump(page, point.x, point.y, 14)
    page.wait_for_timeout(500)


def test_anonymous_visitors_see_less_than_5_and_a_leader_the_real_counts(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    look_at_the_smallest_commune(page)
    anonymous = drawn_cases(page)
    hidden = [pk for pk, value in anonymous.items() if value == "< 5"]
    assert hidden, anonymous
    assert not [value for value in anonymous.values() if isinstance(value, int | float) and 0 < value < 5]
    assert "Dưới 5 ca" in page.text_content("#legend")
    assert "NaN" not in page.text_content("body")  # a "< 5" figure is written as it is, never as a number
    assert watched.errors == [] and watched.outside == []

    sign_in(page, server_url, "lanhdao")
    look_at_the_smallest_commune(page)
    leader = drawn_cases(page)
    assert {leader[pk] for pk in hidden if pk in leader} <= {1, 2, 3, 4}
    assert [pk for pk in hidden if pk in leader]
