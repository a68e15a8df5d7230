"""Resolve coded columns (ward_code, camera_code, …) to the ids of the rows they name."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db.models import Field, ForeignKey, Model, Q

from etl.report import Problem

_WHOLE = re.compile(r"^(-?\d+)\.0+$")


def normalize(value: object) -> str:
    """A code as text for matching: blank for missing values, '12.0' read as '12'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    return _WHOLE.sub(r"\1", text)


def _is_temporal(model: type[Model]) -> bool:
    names = {f.name for f in model._meta.concrete_fields}
    return {"valid_from", "valid_to"} <= names


ASKED = 10_000  # up to this many distinct values of a path are asked by value; more: the whole table


def _field_at(model: type[Model], path: str) -> Field:
    """The field a lookup path ends on, e.g. ward__code on a parcel: the ward's code."""
    *joins, last = path.split("__")
    for name in joins:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def _named(model: type[Model], paths: list[str], keys: list[tuple[str, ...]]) -> Q:
    """The rows whose every path holds one of the values the keys give it (values the field cannot
    hold, e.g. "tờ 5" for a number, name nothing)."""
    condition = Q()
    for position, path in enumerate(paths):
        field = _field_at(model, path)
        values = set()
        for text in {key[position] for key in keys if key[position] != ""}:
            try:
                values.add(field.to_python(text))
            except ValidationError:
                continue
        if len(values) > ASKED:
            continue
        condition &= Q(**{f"{path}__in": values})
    return condition


class LookupTable:
    """Ids of `model` rows keyed by the values at `paths`; units valid by date when temporal. With
    `wanted` (the keys a file names, normalized), only the rows they can name are read."""

    def __init__(self, model: type[Model], paths: list[str],
                 wanted: list[tuple[str, ...]] | None = None) -> None:
        self.temporal = _is_temporal(model)
        extra = ["valid_from", "valid_to"] if self.temporal else []
        self._rows: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        ordering = ["valid_from"] if self.temporal else ["pk"]
        rows = model._default_manager.order_by(*ordering)
        if wanted is not None:
            rows = rows.filter(_named(model, paths, wanted))
        for row in rows.values_list("pk", *paths, *extra):
            pk, values = row[0], row[1:1 + len(paths)]
            span = row[1 + len(paths):] if self.temporal else (None, None)
            self._rows[tuple(normalize(v) for v in values)].append((pk, *span))

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def find(self, key: tuple[str, ...], on: date | None = None) -> int | None:
        """The id for `key`; for dated units the one valid `on` that day, else the latest."""
        candidates = self._rows.get(key)
        if not candidates:
            return None
        if on is not None and self.temporal:
            for pk, start, end in reversed(candidates):
                if start <= on and (end is None or on < end):
                    return pk
        return candidates[-1][0]


def resolve(
    frame: pd.DataFrame, field: ForeignKey, spec: dict[str, str], problems: list[Problem],
    dates: pd.Series | None = None, pending: set[tuple[str, ...]] | None = None, blank_ok: bool = False,
) -> pd.Series:
    """Ids for the foreign key `field` from the source columns in `spec` (path → column).

    Rows whose key names nothing get a Problem, unless the key is in `pending` (rows of the same
    file not yet written, for self-references such as a unit's parent): those stay None. Blank keys
    stay None, a problem for a required field unless `blank_ok` (the caller fills them).
    """
    columns = list(spec.values())
    keys = [normalized(frame[c]) for c in columns]
    table = LookupTable(field.related_model, list(spec), list(set(zip(*keys, strict=True))))
    day_values = dates.tolist() if dates is not None else [None] * len(frame)
    # each distinct (key, day) is looked up once; rows share its answer and its problem
    combos = pd.DataFrame({**{i: k for i, k in enumerate(keys)},
                           "day": [d if isinstance(d, date) else None for d in day_values]})
    group = combos.groupby(list(combos.columns), sort=False, dropna=False).ngroup().to_numpy()
    firsts = pd.Series(np.arange(len(group))).groupby(group).first().to_numpy()
    answers, messages = [], []
    label = ", ".join(f"{c} {{}}" for c in columns)
    for position in firsts:
        key = tuple(k[position] for k in keys)
        day = combos["day"].iat[position]
        if all(part == "" for part in key):
            answers.append(None)
            blank_refused = not field.null and not blank_ok
            messages.append(f"missing value: {field.name} is required" if blank_refused else None)
            continue
        found = table.find(key, day if isinstance(day, date) else None)
        message = None
        if found is None and not (pending and key in pending):
            what = field.related_model._meta.verbose_name
            named = label.format(*(k if len(k) <= 60 else k[:60] + "…" for k in key))
            message = f"unknown reference: {named} matches no {what}"
        answers.append(found)
        messages.append(message)
    refused = np.array([m is not None for m in messages], dtype=bool)
    for row in np.flatnonzero(refused[group]):
        problems.append(Problem(int(row + 1), messages[group[row]], columns[0]))
    ids = np.array(answers + [None], dtype=object)[group]
    return pd.Series(ids, index=frame.index, dtype=object)


def normalized(column: pd.Series) -> np.ndarray:
    """normalize() of every value, computed once per distinct value."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    shown = np.array([normalize(v) for v in uniques] + [""], dtype=object)
    return shown[codes]  # (code -1, a missing value, takes the last: blank)
