"""Floors that do not point up: a package imports only packages on lower floors (walked with the
standard library's ast, type-checking-only imports aside). The wiring (ioc: settings, URLs, WSGI)
sits on top and nothing imports it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "spatial": 0,  # core: settings types, access rules, errors, CRS, parameters
    "layers": 1,  # models and the one registry
    "workdays": 1, "notify": 1,  # the working calendar; e-mail, webhooks and MQTT from one outbox
    "etl": 2, "tiles": 2, "vision": 2,  # importers, tiles, camera AI
    "feedback": 2,  # citizen feedback: routing, workflow, deadlines
    "alerts": 2, "response": 2, "directives": 2,  # alert rules; incidents' SOPs; leaders' directives
    "indicators": 2,  # the leaders' figures: indicator catalogue, units, values, targets
    "health": 2,  # the epidemic watch
    "services": 3, "web_map": 3,  # OGC API and editing; the map wall
    "briefings": 3,  # the leaders' briefings: figures, maps and charts as PDF and XLSX
    "democity": 3,  # the demo city: a generator, loaded through the importers
    "ioc": 4,  # project wiring
}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    return {id(node) for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)}


def imported_packages(path: Path) -> set[str]:
    """The project packages a module imports (at run time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names & FLOORS.keys()


def upward_imports(root: Path = ROOT) -> list[str]:
    found = []
    for package, floor in FLOORS.items():
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # migrations freeze what they need
            for other in sorted(imported_packages(path)):
                if other != package and FLOORS[other] >= floor:
                    found.append(f"{path.relative_to(root)} ({package}, floor {floor}) imports {other} "
                                 f"(floor {FLOORS[other]})")
    return found


def test_no_package_imports_its_own_floor_or_a_higher_one():
    assert upward_imports() == []


def test_the_walk_finds_an_upward_import_and_ignores_type_checking_ones(tmp_path):
    (tmp_path / "spatial").mkdir()
    (tmp_path / "spatial" / "up.py").write_text("from layers.registry import registry\n")
    (tmp_path / "spatial" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from layers.registry import Layer\n")
    assert upward_imports(tmp_path) == ["spatial/up.py (spatial, floor 0) imports layers (floor 1)"]
