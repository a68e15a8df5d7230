"""/api/units: the whole administrative tree, searchable with or without Vietnamese diacritics."""

from __future__ import annotations

import pytest

from spatial.text import fold

pytestmark = pytest.mark.django_db


def units(client, **params) -> dict:
    response = client.get("/api/units", params)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("query", ["dong tam", "Đồng Tâm", "DONG TAM", "ĐỒNG TÂM", "  đồng   tâm "])
def test_searching_dong_tam_finds_the_ward_with_or_without_diacritics(client, query):
    found = units(client, q=query)["units"]
    assert [(u["name"], u["level"], u["code"]) for u in found] == [("Đồng Tâm", "commune", "04255")]
    assert found[0]["search"] == "dong tam" == fold(query)


def test_fold_lowers_strips_marks_and_turns_d_stroke_into_d():
    assert fold("Nguyễn Thái Học") == "nguyen thai hoc"
    assert fold("ĐẠI ĐỒNG") == "dai dong"
    assert fold("Âu  Lâu") == "au lau"


def test_the_2008_tree_runs_province_district_communes_and_the_2025_tree_province_communes(client):
    body = units(client)
    by_id = {u["id"]: u for u in body["units"]}
    trees = {tree["id"]: tree for tree in body["trees"]}
    assert list(trees) == ["2008", "2025"]
    assert trees["2008"]["vi"] == "Trước 01/7/2025 (tỉnh → huyện → xã)"
    assert trees["2025"]["vi"] == "Từ 01/7/2025 (tỉnh → xã)"

    old_root, new_root = by_id[trees["2008"]["root_id"]], by_id[trees["2025"]["root_id"]]
    assert (old_root["name"], old_root["level"], old_root["parent_id"]) == ("Yên Bái", "province", None)
    assert (new_root["name"], new_root["level"], new_root["valid_to"]) == ("Lào Cai", "province", None)

    dong_tam = next(u for u in body["units"] if u["name"] == "Đồng Tâm")
    district = by_id[dong_tam["parent_id"]]
    assert (district["level"], district["code"]) == ("district", "132")
    assert district["parent_id"] == old_root["id"]
    old_communes = [u for u in body["units"] if u["parent_id"] == district["id"]]
    new_communes = [u for u in body["units"] if u["parent_id"] == new_root["id"]]
    assert len(old_communes) == 17 and {u["level"] for u in old_communes} == {"commune"}
    assert len(new_communes) == 4 and {u["valid_from"] for u in new_communes} == {"2025-07-01"}


def test_units_are_sorted_by_level_then_name_and_carry_a_bbox(client):
    body = units(client)["units"]
    levels = [u["level"] for u in body]
    assert levels == sorted(levels, key=["province", "district", "commune"].index)
    communes = [u["search"] for u in body if u["level"] == "commune"]
    assert communes == sorted(communes)
    for unit in body:
        minx, miny, maxx, maxy = unit["bbox"]
        assert 104 < minx < maxx < 106 and 21 < miny < maxy < 23


def test_a_search_matching_nothing_gives_no_units_but_still_the_trees(client):
    body = units(client, q="không có xã này")
    assert body["units"] == [] and len(body["trees"]) == 2
