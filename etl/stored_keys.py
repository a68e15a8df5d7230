"""The stored rows whose natural key an import's rows may repeat: what the duplicate check (append)
and the update match (upsert) read, instead of every row of the layer (a province's cadastre holds
millions of parcels; an import of one ward's file needs that ward's)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import Q, QuerySet

from etl.targets import Target

LISTED = 1000  # up to this many distinct values of a key field are asked by value, more by their range


def _plain(value: object) -> object:
    """A NumPy scalar as the Python value the database driver adapts."""
    return value.item() if isinstance(value, np.generic) else value


def stored_near(frame: pd.DataFrame, target: Target) -> QuerySet:
    """The stored rows of `target` whose every key field holds one of the values (or lies within the
    range of the values) the same field has in `frame` (columns named as the table's), NULL included
    when some row leaves the field empty."""
    query = target.model._default_manager.all()
    for name in target.key:
        field = target.model._meta.get_field(name)
        values = frame[field.column]
        present = values[values.notna()]
        held = Q(**{f"{field.attname}__isnull": True}) if len(present) < len(values) else Q(pk__in=[])
        distinct = [_plain(v) for v in pd.unique(present.to_numpy(dtype=object))]
        if len(distinct) <= LISTED:
            held |= Q(**{f"{field.attname}__in": distinct})
        else:
            try:  # (gte and lte: a reference field has no range lookup)
                held |= Q(**{f"{field.attname}__gte": min(distinct), f"{field.attname}__lte": max(distinct)})
            except TypeError:  # values of several types: no bound from this field
                continue
        query = query.filter(held)
    return query
