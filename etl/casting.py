"""Column casting: each Django field type has one vectorised converter that flags bad rows."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.contrib.postgres.fields import ArrayField
from django.db import models

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TRUE_WORDS = {"1", "true", "t", "yes", "y", "có", "co", "x"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "không", "khong", ""}

# A converter takes the raw column and returns (values, mask of rows that could not be read).
Converter = Callable[[pd.Series, models.Field], tuple[pd.Series, np.ndarray]]


def _blank(series: pd.Series) -> np.ndarray:
    """Rows with no value: missing, or text of nothing but white space (one pass over the objects;
    pandas' string methods take several times as long)."""
    values = series.to_numpy(dtype=object)
    spaces = np.fromiter((isinstance(v, str) and not v.strip() for v in values), dtype=bool,
                         count=len(values))
    return series.isna().to_numpy(dtype=bool) | spaces


def _integer(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    blank = _blank(series)
    numbers = pd.to_numeric(series.where(~blank), errors="coerce")
    bad = (~blank) & (numbers.isna().to_numpy() | (numbers % 1 != 0).fillna(False).to_numpy())
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        bad |= (numbers < 0).fillna(False).to_numpy()
    return numbers.astype("Int64").astype(object).where(~blank & ~bad, None), bad


def _float(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    blank = _blank(series)
    truths = np.fromiter((isinstance(v, bool | np.bool_) for v in series.to_numpy(dtype=object)), dtype=bool,
                         count=len(series))  # (a yes/no is not a number, though to_numeric reads it 1/0)
    numbers = pd.to_numeric(series.where(~blank & ~truths), errors="coerce").astype(float)
    numbers[truths] = np.nan
    retry = numbers.isna().to_numpy() & ~blank
    if retry.any() and series.dtype == object:  # a decimal comma (0,75), or spaces around the number
        text = series[retry].astype("string").str.strip().str.replace(",", ".", regex=False)
        numbers = numbers.astype(float)
        numbers[retry] = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
    bad = (~blank) & ~np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan))
    return numbers.astype(object).where(~blank & ~bad, None), bad


def _text(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    blank = _blank(series)
    text = series.astype("string").str.strip()
    bad = np.zeros(len(series), dtype=bool)
    if field.max_length:
        bad |= (text.str.len() > field.max_length).fillna(False).to_numpy()
    if field.choices:
        allowed = {str(code) for code, _ in field.flatchoices}
        bad |= (~blank) & ~text.isin(allowed).to_numpy()
    empty_value = None if field.null else ""
    return text.astype(object).where(~blank, empty_value), bad


def _date(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    blank = _blank(series)
    parsed = pd.to_datetime(series.where(~blank), errors="coerce", format="mixed", dayfirst=False)
    bad = (~blank) & parsed.isna().to_numpy()
    values = pd.Series([d.date() if isinstance(d, pd.Timestamp) else None for d in parsed],
                       index=series.index, dtype=object)
    return values, bad


def _datetime(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    blank = _blank(series)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        parsed = series
    elif (quick := _iso_with_offsets(series.where(~blank))) is not None:
        return quick, np.zeros(len(series), dtype=bool)  # (kept as times: objects cost a second a million)
    else:
        raw = series.where(~blank)
        parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601", utc=True)
        has_offset = raw.astype("string").str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
        naive = (~blank) & ~has_offset.fillna(False)
        if naive.any():  # times without offset are local (Asia/Ho_Chi_Minh)
            local = pd.to_datetime(raw[naive], errors="coerce", format="ISO8601")
            parsed = parsed.copy()
            parsed[naive] = local.dt.tz_localize(LOCAL_TZ, ambiguous="NaT").dt.tz_convert("UTC")
    bad = (~blank) & parsed.isna().to_numpy()
    return parsed.astype(object).where(~blank & ~bad, None), bad


_WITH_OFFSET = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:?\d\d)"


def _iso_with_offsets(raw: pd.Series) -> pd.Series | None:
    """UTC times of texts all written as ISO 8601 with seconds and an offset ("…T08:00:00+07:00",
    "…+0700", "…Z"), parsed at once by NumPy's C parser, which applies the offset (pandas parses each
    offset by itself, ten times slower); a sample is checked against pandas. None when any text is
    written otherwise."""
    text = raw.dropna()
    if not len(text) or not pd.api.types.is_string_dtype(text) \
            or not text.str.fullmatch(_WITH_OFFSET).all():
        return None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="no explicit representation of timezones")
        try:
            moments = text.to_numpy(dtype=str).astype("datetime64[us]")
        except ValueError:  # a day or hour that does not exist: pandas names it
            return None
    step = max(1, len(text) // 50)
    expected = pd.to_datetime(text.iloc[::step], format="ISO8601", utc=True).dt.tz_localize(None)
    if not (expected.to_numpy().astype("datetime64[us]") == moments[::step]).all():
        return None
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
    parsed[text.index] = pd.DatetimeIndex(moments).tz_localize("UTC")
    return parsed


def _boolean(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    if series.dtype == bool:
        return series.astype(object), np.zeros(len(series), dtype=bool)
    text = series.astype("string").str.strip().str.lower().fillna("")
    true, false = text.isin(TRUE_WORDS).to_numpy(), text.isin(FALSE_WORDS).to_numpy()
    return pd.Series(np.where(true, True, False), index=series.index, dtype=object), ~(true | false)


def _array(series: pd.Series, field: models.Field) -> tuple[pd.Series, np.ndarray]:
    def parse(value: object) -> list[int] | None | float:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
            return None
        if isinstance(value, list | tuple | np.ndarray):
            return [int(v) for v in value]
        try:
            return [int(float(v)) for v in str(value).strip("{}[]() ").split(",")]
        except ValueError:
            return np.nan

    values = series.map(parse)
    bad = values.map(lambda v: isinstance(v, float)).to_numpy(dtype=bool)
    return values.where(~bad, None), bad


CONVERTERS: dict[type[models.Field], Converter] = {
    models.AutoField: _integer,
    models.BigAutoField: _integer,
    models.IntegerField: _integer,
    models.BigIntegerField: _integer,
    models.SmallIntegerField: _integer,
    models.PositiveIntegerField: _integer,
    models.PositiveSmallIntegerField: _integer,
    models.FloatField: _float,
    models.CharField: _text,
    models.TextField: _text,
    models.DateField: _date,
    models.DateTimeField: _datetime,
    models.BooleanField: _boolean,
    ArrayField: _array,
}


def converter_for(field: models.Field) -> Converter:
    """The converter for a model field, found along the field class's hierarchy."""
    for cls in type(field).__mro__:
        if cls in CONVERTERS:
            return CONVERTERS[cls]
    raise TypeError(f"no import converter for {type(field).__name__} ({field.name})")


def describe_expected(field: models.Field) -> str:
    """What a valid value of this field looks like, for error messages."""
    if field.choices:
        return "one of " + ", ".join(str(code) for code, _ in field.flatchoices)
    if isinstance(field, models.DateTimeField):
        return "an ISO 8601 date-time such as 2025-07-01T08:30:00+07:00"
    if isinstance(field, models.DateField):
        return f"a date such as {date(2025, 7, 1).isoformat()}"
    if isinstance(field, models.BooleanField):
        return "true/false"
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        return "a whole number ≥ 0"
    if isinstance(field, models.IntegerField):
        return "a whole number"
    if isinstance(field, models.FloatField):
        return "a number"
    if isinstance(field, models.CharField):
        return f"text of at most {field.max_length} characters"
    return type(field).__name__
