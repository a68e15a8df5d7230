"""The OGC service works through pygeoapi's extension points: no module rewrites pygeoapi at run time,
no context variable carries a request into a provider, and HTML pages never show one viewer's
collections or host to another (pygeoapi's renderer keeps one translated configuration per language
for the whole process)."""

from __future__ import annotations

import ast
import base64
import importlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("spatial", "layers", "etl", "tiles", "vision", "services", "web_map", "democity", "ioc")
TEMPLATES = ROOT / "services" / "ogc" / "templates"


def project_modules(root: Path = ROOT) -> list[Path]:
    return [path for package in PACKAGES for path in sorted((root / package).rglob("*.py"))
            if "migrations" not in path.parts]


def _pygeoapi_names(tree: ast.AST) -> set[str]:
    """The names a module binds to pygeoapi or to something imported from it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names
                         if alias.name.split(".")[0] == "pygeoapi")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pygeoapi":
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def pygeoapi_rewrites(path: Path, root: Path = ROOT) -> list[str]:
    """Assignments (or setattr/delattr calls) that change an attribute of something from pygeoapi."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _pygeoapi_names(tree)
    found = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("setattr", "delattr") and node.args):
            targets = [ast.Attribute(value=node.args[0], attr="?")]
        for target in targets:
            if isinstance(target, ast.Attribute) and _root_name(target) in names:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def context_variables(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
            if (isinstance(node, ast.Import) and any(a.name == "contextvars" for a in node.names))
            or (isinstance(node, ast.ImportFrom) and node.module == "contextvars")
            or (isinstance(node, ast.Attribute) and node.attr == "ContextVar")]


def test_no_module_rewrites_pygeoapi_at_run_time():
    assert [found for path in project_modules() for found in pygeoapi_rewrites(path)] == []


def test_the_walk_finds_a_rewrite_of_pygeoapi(tmp_path):
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "patch.py").write_text(
        "import pygeoapi.l10n as l10n\nfrom pygeoapi.api import itemtypes\nimport json\n"
        "l10n._cfg_cache = {}\nitemtypes.to_json = json.dumps\nsetattr(itemtypes, 'x', 1)\n"
        "json.x = 1\n", encoding="utf-8")
    found = pygeoapi_rewrites(tmp_path / "services" / "patch.py", tmp_path)
    assert [line.split(":")[1] for line in found] == ["4", "5", "6"]


def test_pygeoapi_holds_no_object_of_ours_once_the_service_is_loaded():
    """At run time too: after the URLs (and so every view and provider) are imported, no attribute of
    a pygeoapi module is a function, class or object defined in this project."""
    importlib.import_module("ioc.urls")
    importlib.import_module("services.ogc.views")
    ours = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "pygeoapi" or module is None:
            continue
        for attribute, value in vars(module).items():
            defined_in = getattr(value, "__module__", None) if callable(value) else type(value).__module__
            if isinstance(defined_in, str) and defined_in.split(".")[0] in PACKAGES:
                ours.append(f"{name}.{attribute} ({defined_in})")
    assert ours == []


def test_no_context_variable_carries_requests_in_services():
    assert [found for path in (ROOT / "services").rglob("*.py") for found in context_variables(path)] == []


def test_ogc_templates_read_nothing_from_the_shared_configuration():
    """pygeoapi renders every page with the configuration it translated first for that language
    (one per process), so a template may use only the page's own data."""
    readers = [str(path.relative_to(ROOT)) for path in sorted(TEMPLATES.rglob("*.html"))
               if re.search(r"\bconfig\b", path.read_text(encoding="utf-8"))]
    assert readers == []


def _basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["anonymous", "operator"])
def test_the_landing_page_for_people_lists_each_viewers_own_collections(client, first):
    def landing(operator: bool) -> str:
        response = client.get("/ogc", {"f": "html", "lang": "vi"}, **(_basic("vanhanh") if operator else {}))
        assert response.status_code == 200
        return response.content.decode()

    pages = {first: landing(first == "operator")}
    other = "anonymous" if first == "operator" else "operator"
    pages[other] = landing(other == "operator")
    assert "ogrinfo OAPIF:http://testserver/ogc detections" in pages["operator"]
    assert "detections" not in pages["anonymous"]


@pytest.mark.django_db
def test_html_pages_link_to_the_host_they_were_asked_on(client):
    for host in ("testserver", "localhost"):
        landing = client.get("/ogc", {"f": "html"}, HTTP_HOST=host).content.decode()
        assert f"ogrinfo OAPIF:http://{host}/ogc parcels" in landing
        collection = client.get("/ogc/collections/parcels", {"f": "html"}, HTTP_HOST=host).content.decode()
        assert f"ogrinfo OAPIF:http://{host}/ogc parcels" in collection


@pytest.mark.django_db
def test_offset_links_keep_the_filter_and_the_moment(client):
    """pygeoapi writes prev/next links from the parameters it read; the items page (ours) keeps the
    ones read before it (filter, as-of), so following `next` gives the next page of the same query."""
    from django.utils import timezone

    params = {"filter": "land_use = 'ODT'", "as-of": timezone.now().isoformat(), "sortby": "-area_m2",
              "limit": 3, "skipGeometry": "true"}
    first = client.get("/ogc/collections/parcels/items", params).json()
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(following.replace("http://testserver", "")).json()
    direct = client.get("/ogc/collections/parcels/items", {**params, "offset": 3}).json()
    assert [f["id"] for f in second["features"]] == [f["id"] for f in direct["features"]]
    assert {f["properties"]["land_use"] for f in second["features"]} == {"ODT"}
    assert second["asOf"] == direct["asOf"]


def test_conformance_requests_leave_pygeoapis_own_class_list_as_it_was(client):
    """pygeoapi 0.21's conformance function extends its module's list on every request (a list that
    grows with each request, for ever); ours computes the classes from a copy."""
    import pygeoapi.api as core

    before = list(core.CONFORMANCE_CLASSES)
    answers = [client.get("/ogc/conformance", {"f": "json"}) for _ in range(3)]
    assert all(answer.status_code == 200 for answer in answers)
    assert core.CONFORMANCE_CLASSES == before
    classes = answers[-1].json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert len(classes) == len(set(classes))
    assert client.get("/ogc/conformance", {"f": "html"}).status_code == 200


@pytest.mark.parametrize("query", ["", "?f=json"])
def test_a_tileset_without_a_format_is_its_json_metadata_not_a_500(client, query):
    answer = client.get(f"/ogc/collections/parcels/tiles/WebMercatorQuad{query}")
    assert answer.status_code == 200, answer.content[:300]
    assert answer.json()
