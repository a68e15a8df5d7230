"""Migrations do not import the application: what they need is frozen in them (or in the .sql files
they load and check by SHA-256), so a later change to a module cannot change what an old migration
does to a new database. Walked with the standard library's ast, imports inside functions included."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
# every installed app of this repository (the project's packages), and the project wiring
PROJECT = ("ioc", *sorted(config.name for config in apps.get_app_configs()
                          if Path(config.path).is_relative_to(ROOT)))


def migration_files(root: Path = ROOT) -> list[Path]:
    return sorted(path for package in PROJECT for path in (root / package).glob("migrations/[0-9]*.py"))


def live_imports(path: Path) -> list[str]:
    """The project modules a migration imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if "." in node.module else [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend(name for name in names if name.split(".")[0] in PROJECT)
    return found


def test_the_walk_covers_every_app_of_the_repository():
    assert {"layers", "workdays", "notify", "feedback", "democity"} <= set(PROJECT)


def test_no_migration_imports_an_application_module():
    imported = {str(path.relative_to(ROOT)): live_imports(path) for path in migration_files()}
    assert {path: names for path, names in imported.items() if names} == {}


def test_the_walk_finds_imports_inside_functions(tmp_path):
    (tmp_path / "spatial" / "migrations").mkdir(parents=True)
    path = tmp_path / "spatial" / "migrations" / "0003_zones.py"
    path.write_text("from django.db import migrations\n\ndef add(apps, editor):\n"
                    "    from spatial import vn2000\n    import layers.db_hooks\n", encoding="utf-8")
    assert migration_files(tmp_path) == [path]
    assert live_imports(path) == ["spatial.vn2000", "layers.db_hooks"]


@pytest.mark.parametrize(("module", "name", "number"), [
    ("layers.migrations.0008_sql_functions", "0008_commune_at.sql", "0008"),
    ("spatial.migrations.0003_vn2000_spatial_ref_sys", "0003_vn2000_zones.sql", "0003"),
])
def test_a_migration_refuses_a_frozen_file_that_changed(module, name, number, tmp_path, monkeypatch):
    migration = importlib.import_module(module)
    assert migration.frozen(name) == (migration.SQL / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(migration.frozen(name) + "-- edited\n", encoding="utf-8")
    monkeypatch.setattr(migration, "SQL", tmp_path)
    with pytest.raises(RuntimeError, match=f"{name} changed after migration {number} loaded it"):
        migration.frozen(name)
