"""SQL by identifier: outside its own package and the migrations, no code names a model's table in a
string; it asks the model (`_meta.db_table`, quoted with psycopg.sql.Identifier). Walked with ast:
string constants that read as SQL, or that are a table name on their own (`table == "..."`);
docstrings aside. Tests are not walked (they may spell out what they check)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "tests", "node_modules", "frontend", "var", "docs"}
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|COPY|TABLE|TRUNCATE|VACUUM|ANALYZE|"
                       r"LOCK)\b")


def project_tables(root: Path = ROOT) -> dict[str, str]:
    """Every table of a project model → the package that owns it, e.g. layers_parcel → layers."""
    tables = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            for model in config.get_models():
                tables[model._meta.db_table] = path.relative_to(root).parts[0]
    return tables


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def named_tables(source: str, tables: dict[str, str]) -> list[tuple[int, str]]:
    """(line, table) for each table named in an SQL string, or as a string on its own, of `source`."""
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(tables, key=len, reverse=True)))
                         + r")(?!\w)")
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skipped:
            continue
        text = node.value
        if text in tables:
            found.append((node.lineno, text))
        elif SQL_WORDS.search(text):
            found.extend((node.lineno, match) for match in pattern.findall(text))
    return found


def foreign_tables(root: Path = ROOT, tables: dict[str, str] | None = None) -> list[str]:
    """Tables named literally outside the package that owns them (migrations aside)."""
    tables = project_tables() if tables is None else tables
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        for line, table in named_tables(path.read_text(encoding="utf-8"), tables):
            if tables[table] != parts[0]:
                found.append(f"{path.relative_to(root)}:{line} names {table} (a table of {tables[table]}/)")
    return found


def test_no_code_outside_the_owning_package_names_a_table_in_sql():
    assert foreign_tables() == []


def test_the_layers_tables_are_among_the_tables_checked():
    tables = project_tables()
    assert tables["layers_adminunit"] == "layers"
    assert tables["layers_detection"] == "layers"  # partitioned, created by SQL: still a model's table


def test_the_walk_finds_a_table_in_sql_and_alone_and_ignores_docstrings_and_its_owner(tmp_path):
    tables = {"layers_parcel": "layers", "layers_detection": "layers"}
    for package in ("vision", "layers", "bench"):
        (tmp_path / package).mkdir()
    (tmp_path / "vision" / "bad.py").write_text(
        '"""Rebuilds layers_detection from SELECT … FROM layers_parcel (a docstring)."""\n'
        'QUERY = "SELECT id FROM layers_parcel WHERE true"\n'
        'def f(table):\n'
        '    return table == "layers_detection"\n'
        'FINE = "SELECT * FROM layers_parcel_archive, other.layers_parcel"\n'
        'ALSO_FINE = "layers_detection is a word here"\n', encoding="utf-8")
    (tmp_path / "bench" / "peer.py").write_text('COPY = f"COPY layers_detection ({1}) FROM STDIN"\n',
                                                encoding="utf-8")
    (tmp_path / "layers" / "own.py").write_text('Q = "SELECT 1 FROM layers_parcel"\n', encoding="utf-8")
    assert foreign_tables(tmp_path, tables) == [
        "bench/peer.py:1 names layers_detection (a table of layers/)",
        "vision/bad.py:2 names layers_parcel (a table of layers/)",
        "vision/bad.py:4 names layers_detection (a table of layers/)",
    ]
