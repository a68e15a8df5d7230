"""A column's values are read as its field's type, and what cannot be read is marked per row, whatever
the reader handed over (text from CSV, numbers and booleans from XLSX, lists from GeoJSON)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import models

from etl.casting import converter_for


def read(values: list, field: models.Field) -> tuple[list, list[bool]]:
    converted, bad = converter_for(field)(pd.Series(values, dtype=object), field)
    return converted.tolist(), bad.tolist()


def test_a_number_column_reads_decimal_commas_and_spaces_and_refuses_booleans_and_words():
    field = models.FloatField(null=True)
    values, bad = read(["0,75", " 1.5 ", 2, None, "", True, "abc"], field)
    assert values[:5] == [0.75, 1.5, 2.0, None, None]
    assert bad == [False, False, False, False, False, True, True]


def test_a_list_where_a_word_is_expected_is_a_bad_value_of_its_row_not_a_crash():
    field = models.CharField(max_length=10, choices=[("car", "car"), ("bus", "bus")])
    values, bad = read(["car", np.array(["car", "bus"]), "  "], field)
    assert values[0] == "car"
    assert bad == [False, True, False]
