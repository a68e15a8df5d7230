"""The sheet/parcel numbers ('tờ 12 thửa 345') read from a search box in the forms officials type."""

from __future__ import annotations

import pytest

from web_map.parcel_numbers import SheetParcel, parse


@pytest.mark.parametrize("text", [
    "tờ 12 thửa 345", "to 12 thua 345", "Tờ 12, thửa 345", "TỜ 12 THỬA 345", "tờ số 12 thửa số 345",
    "12/345", "12 / 345", "t12 th345", "T12 Th345", "t 12 th 345", "thửa 345 tờ 12", "th345 t12",
    "tờ bản đồ 12 thửa đất 345",
])
def test_each_form_reads_sheet_12_parcel_345(text):
    assert parse(text) == SheetParcel(12, 345, "")


def test_the_words_around_the_numbers_are_kept():
    assert parse("Đồng Tâm tờ 1 thửa 9") == SheetParcel(1, 9, "dong tam")
    assert parse("1/9 dong tam") == SheetParcel(1, 9, "dong tam")


@pytest.mark.parametrize("text", ["dong tam", "INC-20260905-001", "12", "tờ 12", "số 12 trần phú", "",
                                  "thuan 12", "12/345/6"])
def test_other_text_is_not_a_sheet_and_parcel(text):
    assert parse(text) is None
