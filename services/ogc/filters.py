"""CQL2 filters (text and JSON) → Django Q objects, refusing any name that is not a readable field.

pygeoapi 0.21 (the last release for Python 3.11) parses `filter` as ECQL, so the view parses CQL2
here and hands the expression to the provider. pygeofilter's Django backend builds the Q; its SQL
values are bound parameters. Names are checked first: the backend would otherwise pass any name,
including relations such as ward__name, straight to the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Q
from pygeofilter import ast
from pygeofilter.backends.django.evaluate import to_filter
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text
from pygeofilter.parsers.ecql import parse as parse_ecql

from spatial.errors import BadRequest

LANGUAGES = ("cql2-text", "cql2-json", "cql-text")


def parse(text: str, language: str | None) -> ast.Node:
    """The expression of a `filter` parameter; BadRequest naming the problem if it does not parse."""
    language = language or ("cql2-json" if text.lstrip().startswith("{") else "cql2-text")
    if language not in LANGUAGES:
        raise BadRequest(f"filter-lang: {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
    try:
        if language == "cql2-json":
            return parse_cql2_json(json.loads(text))
        try:
            return parse_cql2_text(text)
        except Exception:  # noqa: BLE001  older clients (GDAL < 3.7) send ECQL-style text
            return parse_ecql(text)
    except Exception as exc:  # noqa: BLE001  the parsers raise many unrelated exception types
        raise BadRequest(f"filter: {text!r} is not valid {language} ({type(exc).__name__}); "
                         "example: land_use = 'ODT' AND area_m2 > 200") from None


def attribute_names(node: object) -> Iterator[str]:
    """Every attribute the expression refers to."""
    if isinstance(node, ast.Attribute):
        yield node.name
    children = node.get_sub_nodes() if isinstance(node, ast.Node) else []
    for child in children:
        for item in child if isinstance(child, list) else [child]:
            yield from attribute_names(item)


def to_q(node: ast.Node, columns: dict[str, str]) -> Q:
    """A Q for the expression; `columns` maps the names a client may use to model lookups."""
    unknown = sorted(set(attribute_names(node)) - set(columns))
    if unknown:
        raise BadRequest(f"filter: unknown or hidden properties {unknown}; "
                         f"queryables: {sorted(n for n in columns if n != 'geometry')}")
    try:
        condition = to_filter(node, columns)
    except Exception as exc:  # noqa: BLE001  pygeofilter raises ValueError/KeyError/NotImplementedError
        raise BadRequest(f"filter: this expression is not supported here ({exc})") from None
    if not isinstance(condition, Q):
        raise BadRequest("filter: must be a condition (true or false per feature), e.g. land_use = 'ODT'")
    return condition
