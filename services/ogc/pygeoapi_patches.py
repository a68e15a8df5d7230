"""Two adjustments to pygeoapi 0.21, applied once at import, each for a reason that is ours.

1. `pygeoapi.l10n` caches the translated configuration per locale in a module dict, so with one
   configuration per viewer, HTML pages would render with whichever viewer came first (a leak
   across users). The cache is disabled.
2. Item pages are serialised with orjson instead of json.dumps, and the features PostgreSQL
   wrote as JSON are embedded as they are (orjson.Fragment): same output, no decode/encode. The
   answer stays bytes (pygeoapi hands it straight to the response; HttpResponse sends bytes as
   they are).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import orjson
import pygeoapi.api.itemtypes as itemtypes
import pygeoapi.l10n as l10n

from services.ogc.provider import RawFeatures


class _NoCache(dict):
    def __setitem__(self, key: object, value: object) -> None:
        return None


def _default(value: object) -> object:
    if isinstance(value, RawFeatures):  # as PostgreSQL wrote them, unless something rewrote them
        return value.parsed if value.as_written is None else orjson.Fragment(value.as_written)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def fast_to_json(dict_: dict, pretty: bool = False) -> bytes:
    """pygeoapi.util.to_json with orjson, as UTF-8 bytes."""
    option = orjson.OPT_INDENT_2 if pretty else 0
    return orjson.dumps(dict_, default=_default, option=option | orjson.OPT_NON_STR_KEYS)


def apply() -> None:
    """Install both adjustments (idempotent)."""
    l10n._cfg_cache = _NoCache()
    itemtypes.to_json = fast_to_json


apply()
