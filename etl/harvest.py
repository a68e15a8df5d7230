"""Scheduled harvests (etl.Harvest): read a remote source into a local file, then import it with the same
engine as `ioc import` (rules, mapping, report, LayerRefresh). One fetcher per kind of source, in a table:

- `oapif`: an OGC API – Features collection (`…/collections/<id>`), every page followed by its `next` link;
- `wfs`: a WFS 2.0 feature type (`…/wfs?typeNames=<name>`), paged with `count` and `startIndex`, as GeoJSON
  where the server offers it, else in GML 3.2 (the format every WFS 2.0 server must give) read by GDAL;
- `url`: one CSV, GeoJSON or GeoPackage file over HTTP(S);
- `folder`: the newest file of a folder on the server (a share the office drops files into).

A run is *loaded* when it inserted, updated or deleted rows, *unchanged* when the source held nothing new
(the layer is still confirmed current: data health counts it), *failed* with the reason otherwise.
"""

from __future__ import annotations

import json
import logging
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from etl.errors import EtlError
from etl.importer import ImportOptions, import_file
from etl.models import Harvest, ImportReport

logger = logging.getLogger(__name__)
TIMEOUT_S = 60
MOST_BYTES = 200 * 1024 * 1024
PAGE = 1000  # features asked per page of an OGC API
MOST_PAGES = 1000
FILE_SUFFIXES = (".csv", ".geojson", ".json", ".gpkg", ".xlsx", ".zip")


class HarvestFailed(Exception):
    """The source could not be read (its message says what and where)."""


def _get(url: str, quiet_statuses: tuple[int, ...] = ()) -> bytes:
    """The body at `url`; an HTTP error fails the harvest, except `quiet_statuses` (answered as b"")."""
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json, application/json, */*",
                                                   "User-Agent": "toan-canh-harvest"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310 (an admin's URL)
            body = answer.read(MOST_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code in quiet_statuses:
            return b""
        raise HarvestFailed(f"{url}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise HarvestFailed(f"{url}: {getattr(error, 'reason', error)}") from None
    if len(body) > MOST_BYTES:
        raise HarvestFailed(f"{url}: lớn hơn {MOST_BYTES // 2**20} MB / larger than {MOST_BYTES // 2**20} MB")
    return body


def fetch_oapif(location: str, folder: Path) -> Path:
    """Every feature of an OGC API – Features collection, as one GeoJSON file."""
    url = f"{location.rstrip('/')}/items?f=json&limit={PAGE}"
    features: list[dict] = []
    for _ in range(MOST_PAGES):
        try:
            page = json.loads(_get(url))
        except json.JSONDecodeError:
            raise HarvestFailed(f"{url}: không phải GeoJSON / not GeoJSON") from None
        features += page.get("features", [])
        url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
        if not url:
            break
    path = folder / "harvest.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _wfs_url(location: str, **asked: str | int) -> str:
    """A GetFeature request of the feature type that `location` names (its typeNames or typeName)."""
    base, _, query = location.partition("?")
    params = {key: value for key, value in urllib.parse.parse_qsl(query)
              if key.lower() not in {"service", "version", "request", "count", "startindex", "outputformat",
                                     "srsname"}}
    if not any(key.lower() in {"typenames", "typename"} for key in params):
        raise HarvestFailed(f"{location}: thiếu typeNames (ví dụ …/wfs?typeNames=ns:truong_hoc) / "
                            "no typeNames (e.g. …/wfs?typeNames=ns:schools)")
    params |= {"service": "WFS", "version": "2.0.0", "request": "GetFeature", **asked}
    return f"{base}?{urllib.parse.urlencode(params)}"


def _wfs_json_page(location: str, start: int) -> list[dict] | None:
    """One page as GeoJSON features, or None when the server does not give GeoJSON."""
    body = _get(_wfs_url(location, outputFormat="application/json", srsName="EPSG:4326", count=PAGE,
                         startIndex=start), quiet_statuses=(400,))
    try:
        page = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # an OWS ExceptionReport or GML: the server knows no GeoJSON output
    return page.get("features", []) if isinstance(page, dict) else None


def _wfs_gml_page(location: str, start: int, folder: Path) -> list[dict]:
    """One page in GML 3.2, read by GDAL (latitude-first urn axes turned to longitude, latitude)."""
    import pyogrio  # GDAL: imported only for a harvest that needs it

    path = folder / f"page-{start}.gml"
    path.write_bytes(_get(_wfs_url(location, srsName="urn:ogc:def:crs:EPSG::4326", count=PAGE,
                                   startIndex=start)))
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as error:  # noqa: BLE001 (GDAL's errors have no common class)
        raise HarvestFailed(f"{location}: không đọc được GML / unreadable GML ({str(error)[:200]})") from None
    frame = frame.drop(columns=["gml_id"], errors="ignore")  # GDAL's own: the server's feature id
    return [{"type": "Feature", "geometry": feature["geometry"], "properties": feature["properties"]}
            for feature in json.loads(frame.to_json(drop_id=True))["features"]]


def fetch_wfs(location: str, folder: Path) -> Path:
    """Every feature of a WFS 2.0 feature type, page by page, as one GeoJSON file."""
    features: list[dict] = []
    gml = False
    for number in range(MOST_PAGES):
        start = number * PAGE
        page = None if gml else _wfs_json_page(location, start)
        if page is None:
            gml = True
            page = _wfs_gml_page(location, start, folder)
        features += page
        if len(page) < PAGE:
            break
    path = folder / "harvest.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def fetch_url(location: str, folder: Path) -> Path:
    """One file over HTTP(S), kept under its own name (its suffix says its format)."""
    name = Path(location.split("?")[0]).name or "harvest.geojson"
    if not name.lower().endswith(FILE_SUFFIXES):
        raise HarvestFailed(f"{location}: tên tệp không có đuôi đã biết / no known file suffix "
                            f"({', '.join(FILE_SUFFIXES)})")
    path = folder / name
    path.write_bytes(_get(location))
    return path


def fetch_folder(location: str, folder: Path) -> Path:
    """The newest file of a known format in a folder."""
    files = [path for path in Path(location).glob("*") if path.suffix.lower() in FILE_SUFFIXES]
    if not files:
        raise HarvestFailed(f"{location}: thư mục không có tệp dữ liệu / no data file in the folder")
    return max(files, key=lambda path: path.stat().st_mtime)


FETCHERS: dict[str, Callable[[str, Path], Path]] = {"oapif": fetch_oapif, "wfs": fetch_wfs, "url": fetch_url,
                                                     "folder": fetch_folder}


@dataclass(frozen=True)
class Outcome:
    outcome: str  # loaded | unchanged | failed
    message: str
    report: ImportReport | None


def _outcome(counts: dict[str, int]) -> str:
    return "loaded" if any(counts.get(name) for name in ("inserted", "updated", "deleted")) else "unchanged"


def run(harvest: Harvest, now: datetime | None = None) -> Outcome:
    """Run one harvest now: fetch, import, and keep the outcome on the harvest."""
    now = now or timezone.now()
    actor = f"harvest:{harvest.code}"
    with tempfile.TemporaryDirectory(prefix="ioc-harvest-") as scratch:
        folder = Path(scratch)
        try:
            path = FETCHERS[harvest.kind](harvest.location, folder)
            mapping = None
            if harvest.mapping.strip():
                mapping = folder / "mapping.yaml"
                mapping.write_text(harvest.mapping, encoding="utf-8")
            report = import_file(path, ImportOptions(layer=harvest.layer, mode=harvest.mode, mapping=mapping,
                                                     actor=actor))
            stored = ImportReport.objects.filter(pk=report.stored_id).first()
            result = Outcome(_outcome(report.counts), report.summary(limit=5), stored)
        except (HarvestFailed, EtlError) as error:
            stored = ImportReport.objects.filter(actor=actor, started_at__gte=now).order_by("-pk").first()
            result = Outcome("failed", str(error)[:2000], stored)
    Harvest.objects.filter(pk=harvest.pk).update(last_run_at=now, last_outcome=result.outcome,
                                                 last_message=result.message, last_report=result.report)
    logger.info("harvest %s: %s", harvest.code, result.outcome)
    return result


def due(now: datetime) -> list[Harvest]:
    """The active harvests whose period has passed since their last run (or that never ran)."""
    return [harvest for harvest in Harvest.objects.filter(active=True).order_by("code")
            if harvest.last_run_at is None
            or harvest.last_run_at + timedelta(minutes=harvest.every_minutes) <= now]
