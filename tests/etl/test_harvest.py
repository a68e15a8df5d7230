"""Scheduled harvests from a local HTTP server standing in for a remote source: an OGC API – Features
collection (two pages, followed by `next`) is harvested into schools by its schedule with a mapping; a
second run finds nothing new ("unchanged", the layer still confirmed current); a source that answers
404 shows as failing in the data-health API and page; a CSV over HTTP and a folder harvest the same way."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from etl.harvest import due, run
from etl.models import Harvest
from etl.tasks import harvest_job
from layers.models import LayerRefresh, School

pytestmark = pytest.mark.django_db
MAPPING = "columns: {ma: code, ten: name, cap: school_level}\nvalues: {school_level: {TH: tieu_hoc}}\n"
SCHOOLS = [("HV-TH-1", "Trường Tiểu học Thử Một", 104.9035, 21.6890),
           ("HV-TH-2", "Trường Tiểu học Thử Hai", 104.9040, 21.6895),
           ("HV-TH-3", "Trường Tiểu học Thử Ba", 104.8690, 21.7078)]


def feature(code: str, name: str, lon: float, lat: float) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"ma": code, "ten": name, "cap": "TH"}}


class Remote(BaseHTTPRequestHandler):
    """An OGC API collection in two pages, a CSV file, and nothing else (404)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path.startswith("/collections/truong/items"):
            second = "page=2" in self.path
            rows = SCHOOLS[2:] if second else SCHOOLS[:2]
            links = [] if second else [{"rel": "next", "href": f"{base}/collections/truong/items?page=2"}]
            page = {"type": "FeatureCollection", "features": [feature(*row) for row in rows], "links": links}
            self._send(200, json.dumps(page), "application/geo+json")
        elif self.path == "/files/truong.csv":
            lines = ["ma,ten,cap,lon,lat", *(f"{c},{n},TH,{x},{y}" for c, n, x, y in SCHOOLS)]
            self._send(200, "\n".join(lines), "text/csv")
        else:
            self._send(404, "not here", "text/plain")

    def _send(self, status: int, body: str, kind: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Remote)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def harvest(code: str, kind: str, location: str) -> Harvest:
    return Harvest.objects.create(code=code, layer="schools", kind=kind, location=location, mapping=MAPPING,
                                  every_minutes=60)


def test_a_scheduled_harvest_loads_then_finds_nothing_new(remote):
    job = harvest("truong-hoc", "oapif", f"{remote}/collections/truong")
    now = timezone.now()
    assert due(now) == [job]

    harvest_job(int(now.timestamp()))  # the queue's minute: the due harvest runs
    job.refresh_from_db()
    assert (job.last_outcome, job.last_report.counts["inserted"]) == ("loaded", 3), job.last_message
    assert job.last_report.actor == "harvest:truong-hoc"
    schools = School.objects.filter(code__startswith="HV-TH-").order_by("code")
    assert [(s.code, s.school_level) for s in schools] == [(c, "tieu_hoc") for c, *_ in SCHOOLS]
    assert all(s.ward_id is not None for s in schools)  # wards by location
    assert due(now + timedelta(minutes=59)) == [] and due(now + timedelta(minutes=60)) == [job]

    first_confirmed = LayerRefresh.objects.get(layer="schools").refreshed_at
    again = run(job, now + timedelta(hours=1))
    assert again.outcome == "unchanged" and again.report.counts["unchanged"] == 3
    assert LayerRefresh.objects.get(layer="schools").refreshed_at > first_confirmed  # confirmed again


def test_a_broken_source_shows_as_failing(remote, client, as_user):
    broken = harvest("truong-hong", "oapif", f"{remote}/collections/khong-co")
    outcome = run(broken)
    assert outcome.outcome == "failed" and "HTTP 404" in outcome.message
    layers = {row["id"]: row for row in client.get("/api/data-health", **as_user("quantri")).json()["layers"]}
    (shown,) = layers["schools"]["harvests"]
    assert (shown["code"], shown["last_outcome"], shown["failing"]) == ("truong-hong", "failed", True)
    page = client.get("/suc-khoe-du-lieu/", **as_user("quantri")).content.decode()
    assert "truong-hong" in page and "HTTP 404" in page


def test_a_csv_over_http_and_a_folder_harvest_the_same_rows(remote, tmp_path):
    by_url = run(harvest("truong-csv", "url", f"{remote}/files/truong.csv"))
    assert by_url.outcome == "loaded" and by_url.report.counts["inserted"] == 3, by_url.message
    (tmp_path / "old.txt").write_text("not data")
    (tmp_path / "truong.csv").write_text("ma,ten,cap,lon,lat\n" + "\n".join(
        f"{c},{n},TH,{x},{y}" for c, n, x, y in SCHOOLS))
    by_folder = run(harvest("truong-thu-muc", "folder", str(tmp_path)))
    assert by_folder.outcome == "unchanged", by_folder.message
