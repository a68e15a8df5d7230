"""CQL2 filters (text and JSON) → Django Q objects, refusing any name that is not a readable field.

pygeoapi 0.21 (the last release for Python 3.11) parses `filter` as ECQL, so the items route
(services.ogc.items) parses CQL2 here and hands the condition to the provider. pygeofilter's Django
backend builds the Q; its SQL values are bound parameters. Names are checked first: the backend
would otherwise pass any name, including relations such as ward__name, straight to the ORM.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from pygeofilter import ast, values
from pygeofilter.backends.django.evaluate import to_filter
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text
from pygeofilter.parsers.ecql import parse as parse_ecql

from spatial.errors import BadRequest
from spatial.params import text_problem

LANGUAGES = ("cql2-text", "cql2-json", "cql-text")


def parse(text: str, language: str | None) -> ast.Node:
    """The expression of a `filter` parameter; BadRequest naming the problem if it does not parse."""
    language = language or ("cql2-json" if text.lstrip().startswith("{") else "cql2-text")
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise BadRequest(f"filter-lang: «{language}» không được hỗ trợ; hãy dùng một trong {known}",
                         f"filter-lang: {language!r} is not supported; use one of {known}")
    try:
        if language == "cql2-json":
            return parse_cql2_json(json.loads(text))
        try:
            return parse_cql2_text(text)
        except Exception:  # noqa: BLE001  older clients (GDAL < 3.7) send ECQL-style text
            return parse_ecql(text)
    except Exception as exc:  # noqa: BLE001  the parsers raise many unrelated exception types
        raise BadRequest(f"filter: «{text}» không đúng cú pháp {language} ({type(exc).__name__}); "
                         "ví dụ: land_use = 'ODT' AND area_m2 > 200",
                         f"filter: {text!r} is not valid {language} ({type(exc).__name__}); "
                         "example: land_use = 'ODT' AND area_m2 > 200") from None


def attribute_names(node: object) -> Iterator[str]:
    """Every attribute the expression refers to."""
    if isinstance(node, ast.Attribute):
        yield node.name
    children = node.get_sub_nodes() if isinstance(node, ast.Node) else []
    for child in children:
        for item in child if isinstance(child, list) else [child]:
            yield from attribute_names(item)


SPATIAL = (ast.SpatialComparisonPredicate, ast.Relate, ast.SpatialDistancePredicate, ast.BBox)
GEOMETRY_VALUES = (values.Geometry, values.Envelope)
MAX_FILTER_VERTICES = 10_000  # coordinates in all geometries of one filter
GEOMETRY = "geometry"


def _operands(node: ast.Node) -> list[object]:
    names = ("lhs", "rhs", "pattern", "low", "high")
    found = [getattr(node, name) for name in names if hasattr(node, name)]
    return found + list(getattr(node, "sub_nodes", None) or [])


def _vertices(coordinates: object, budget: list[int]) -> None:
    """Count the positions of GeoJSON coordinates against budget[0]; refuse non-finite numbers."""
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple) and item and not isinstance(item[0], list | tuple):
            budget[0] -= 1
            if budget[0] < 0:
                raise BadRequest(f"filter: các hình học có hơn {MAX_FILTER_VERTICES:,} đỉnh; "
                                 "hãy đơn giản hóa chúng hoặc dùng bbox",
                                 f"filter: the geometries hold more than {MAX_FILTER_VERTICES:,} vertices; "
                                 "simplify them or use a bbox")
            if not all(isinstance(n, int | float) and math.isfinite(n) for n in item):
                raise BadRequest(f"filter: {str(item)[:60]} không phải một vị trí gồm các số hữu hạn",
                                 f"filter: {str(item)[:60]} is not a position of finite numbers")
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend([item.get("coordinates", []), *(g for g in item.get("geometries", []))])


def _literal(name: str, field: models.Field, value: object) -> None:
    """Refuse a literal the property cannot hold (else PostgreSQL would, in its own words); an
    interval's ends each."""
    if isinstance(value, values.Interval):
        for end in (value.start, value.end):
            if end is not None and not isinstance(end, timedelta):
                _literal(name, field, end)
        return
    if isinstance(value, str) and (problem := text_problem(value)) is not None:
        raise BadRequest(f"filter: giá trị của {name} không dùng được ({problem})",
                         f"filter: the value of {name} {problem}")
    target = field.target_field if field.is_relation else field
    try:
        target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        raise BadRequest(f"filter: «{value}» không phải giá trị hợp lệ của {name}",
                         f"filter: {value!r} is not a valid value of {name}") from None


_SPATIAL_EXAMPLE = "S_INTERSECTS(geometry, POLYGON((104.9 21.7, 104.91 21.7, 104.91 21.71, 104.9 21.7)))"


def _check_spatial(attributes: list[str], operands: list[object]) -> None:
    if any(name != GEOMETRY for name in attributes) or any(
            not isinstance(o, (ast.Attribute, *GEOMETRY_VALUES)) for o in operands
            if isinstance(o, ast.Node | str | int | float)):
        raise BadRequest("filter: vị từ không gian so sánh hình học (geometry) với một hình học, ví dụ "
                         + _SPATIAL_EXAMPLE,
                         "filter: spatial predicates compare the geometry with a geometry, e.g. "
                         + _SPATIAL_EXAMPLE)


def _check_scalar(attributes: list[str], operands: list[object], fields: dict[str, models.Field]) -> None:
    if GEOMETRY in attributes or any(isinstance(o, GEOMETRY_VALUES) for o in operands):
        raise BadRequest("filter: hình học chỉ so sánh bằng các vị từ không gian "
                         "(S_INTERSECTS, S_WITHIN, …), không bằng =, <, LIKE hay IN",
                         "filter: the geometry is compared only by spatial predicates "
                         "(S_INTERSECTS, S_WITHIN, …), not by =, <, LIKE or IN")
    skip = (ast.Node, list, *GEOMETRY_VALUES)
    literals = [o for o in operands if o is not None and not isinstance(o, skip)]
    for name in attributes:
        for literal in literals:
            _literal(name, fields[name], literal)


def check(node: object, fields: dict[str, models.Field], budget: list[int] | None = None) -> None:
    """Refuse what would fail in the database: geometry outside spatial predicates, non-geometry
    operands of spatial ones, values a property cannot hold, too many vertices."""
    budget = budget if budget is not None else [MAX_FILTER_VERTICES]
    if isinstance(node, GEOMETRY_VALUES):
        _vertices(node.geometry, budget)
    if not isinstance(node, ast.Node):
        return
    if isinstance(node, ast.Predicate):
        operands = _operands(node)
        attributes = [o.name for o in operands if isinstance(o, ast.Attribute)]
        if isinstance(node, SPATIAL):
            _check_spatial(attributes, operands)
        else:
            _check_scalar(attributes, operands, fields)
    for child in node.get_sub_nodes():
        for item in child if isinstance(child, list) else [child]:
            check(item, fields, budget)


def to_q(node: ast.Node, columns: dict[str, str], fields: dict[str, models.Field] | None = None) -> Q:
    """A Q for the expression; `columns` maps the names a client may use to model lookups, `fields`
    gives their model fields (to check the values)."""
    unknown = sorted(set(attribute_names(node)) - set(columns))
    if unknown:
        queryables = sorted(n for n in columns if n != "geometry")
        raise BadRequest(f"filter: thuộc tính không có hoặc bị ẩn {unknown}; các trường truy vấn được: "
                         f"{queryables}",
                         f"filter: unknown or hidden properties {unknown}; queryables: {queryables}")
    if fields is not None:
        check(node, fields)
    try:
        condition = to_filter(node, columns)
    except Exception as exc:  # noqa: BLE001  pygeofilter raises ValueError/KeyError/NotImplementedError
        raise BadRequest(f"filter: biểu thức này chưa được hỗ trợ ở đây ({exc})",
                         f"filter: this expression is not supported here ({exc})") from None
    if not isinstance(condition, Q):
        raise BadRequest("filter: phải là một điều kiện (đúng hoặc sai với từng đối tượng), "
                         "ví dụ land_use = 'ODT'",
                         "filter: must be a condition (true or false per feature), e.g. land_use = 'ODT'")
    return condition
