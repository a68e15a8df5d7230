"""Computed columns of a mapping file: text templates and arithmetic over the file's columns.

A template, `"{addr:housenumber} {addr:street}"`, joins the named columns' text (a blank value
leaves no gap). An expression, `{expression: "{height_ft} * 0.3048"}`, is arithmetic on numeric
columns: numbers, + - * / // % **, parentheses, round(x, n), abs(x), min(…), max(…). Columns are
named in braces, so names such as `addr:street` work. Nothing else is evaluated: the expression is
parsed with `ast` and only those nodes are accepted.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.errors import MappingError
from etl.report import Problem, shown

_COLUMN = re.compile(r"\{([^{}]+)\}")
_OPERATORS: dict[type, Callable] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}
_FUNCTIONS: dict[str, Callable] = {
    "round": lambda x, n=0: np.round(x, int(n)), "abs": np.abs,
    "min": lambda *xs: np.fmin.reduce(xs), "max": lambda *xs: np.fmax.reduce(xs),
}


@dataclass(frozen=True)
class Computed:
    """One computed column: its name, the source columns it reads, and how it is made."""

    name: str
    text: str
    columns: tuple[str, ...]
    tree: ast.Expression | None = None  # an expression's syntax tree; None for a template

    def evaluate(self, frame: pd.DataFrame, problems: list[Problem]) -> pd.Series:
        """The column's values for every row of `frame`; unreadable numbers become problems."""
        if self.tree is None:
            return self._template(frame)
        numbers = {}
        for index, column in enumerate(self.columns):
            raw = frame[column]
            text = raw.astype("string").str.strip().str.replace(",", ".", regex=False)
            values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            blank = (raw.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
            for row in np.flatnonzero(np.isnan(values) & ~blank):
                problems.append(Problem(int(row + 1), f"bad value: {shown(raw.iloc[row])} is not a number "
                                        f"(computed column {self.name}: {self.text})", column))
            numbers[f"_c{index}"] = values
        with np.errstate(all="ignore"):
            result = np.asarray(_evaluate(self.tree.body, numbers), dtype=float)
        result = np.broadcast_to(result, (len(frame),))
        return pd.Series(result, index=frame.index).astype(object).where(np.isfinite(result), None)

    def _template(self, frame: pd.DataFrame) -> pd.Series:
        parts = {c: frame[c].astype("string").fillna("").str.strip() for c in self.columns}

        def fill(row: int) -> str:
            text = _COLUMN.sub(lambda m: parts[m.group(1)].iloc[row], self.text)
            return " ".join(text.split())

        return pd.Series([fill(row) for row in range(len(frame))], index=frame.index, dtype=object)


def parse_computed(name: str, spec: object) -> Computed:
    """A computed column from its mapping entry: a template string or {expression: "…"}."""
    if isinstance(spec, str):
        columns = tuple(dict.fromkeys(_COLUMN.findall(spec)))
        if not columns:
            raise MappingError(f"computed column {name}: {spec!r} names no column; write them in braces, "
                               "e.g. \"{street} {housenumber}\"")
        return Computed(name, spec, columns)
    if isinstance(spec, dict) and set(spec) == {"expression"} and isinstance(spec["expression"], str):
        text = spec["expression"]
        columns = tuple(dict.fromkeys(_COLUMN.findall(text)))
        code = _COLUMN.sub(lambda m: f"_c{columns.index(m.group(1))}", text)
        try:
            tree = ast.parse(code, mode="eval")
        except SyntaxError as exc:
            raise MappingError(f"computed column {name}: {text!r} is not an expression ({exc.msg})") from exc
        _check(tree.body, name, text)
        return Computed(name, text, columns, tree)
    raise MappingError(f"computed column {name}: give a template such as \"{{street}} {{housenumber}}\" "
                       "or {expression: \"{height_ft} * 0.3048\"}")


def _check(node: ast.AST, name: str, text: str) -> None:
    allowed = isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS \
        or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd) \
        or isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
        and not isinstance(node.value, bool) \
        or isinstance(node, ast.Name) and re.fullmatch(r"_c\d+", node.id) \
        or isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS \
        and not node.keywords
    if not allowed:
        raise MappingError(f"computed column {name}: {text!r} may hold only {{columns}}, numbers, "
                           "+ - * / // % **, parentheses and round, abs, min, max")
    children = node.args if isinstance(node, ast.Call) else list(ast.iter_child_nodes(node))
    for child in children:
        if not isinstance(child, ast.operator | ast.unaryop | ast.expr_context):
            _check(child, name, text)


def _evaluate(node: ast.AST, columns: dict[str, np.ndarray]) -> np.ndarray | float:
    if isinstance(node, ast.BinOp):
        return _OPERATORS[type(node.op)](_evaluate(node.left, columns), _evaluate(node.right, columns))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, columns)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return columns[node.id]
    assert isinstance(node, ast.Call)  # _check allows nothing else
    return _FUNCTIONS[node.func.id](*(_evaluate(a, columns) for a in node.args))
