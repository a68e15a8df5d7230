"""Issue #20, item 2, in real Chromium against a live server: a critical incident inserted by plain SQL is
pinned at the top of the wall (and marked on the map) within 2 s, and stays pinned while camera
detections stream at 25 a second, which the ticker counts per camera and minute instead of listing;
an operator acknowledges it and another operator's wall shows who took it, live; the acknowledgement
is recorded (who, when)."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import psycopg
import pytest
from playwright.sync_api import Page
from wall import database_url, insert_incident, sign_in

from alerts.models import EventAcknowledgement

pytestmark = pytest.mark.django_db
PER_SECOND = 25
CAMERAS = 3


class DetectionStream:
    """Detections of three cameras written by plain SQL, PER_SECOND a second, in the demo's last
    partition (their time just after the demo's last detection: any calendar date works)."""

    def __init__(self) -> None:
        self.conn = psycopg.connect(database_url(), autocommit=True)
        self.cameras = [row[0] for row in self.conn.execute(
            "SELECT id FROM layers_camera ORDER BY code LIMIT %s", [CAMERAS])]
        self.first, self.last_time = self.conn.execute(
            "SELECT max(id), max(observed_at) FROM layers_detection").fetchone()
        self.written = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopping.is_set():
            camera = self.cameras[self.written % CAMERAS]
            self.conn.execute(
                "INSERT INTO layers_detection (camera_id, object_class, confidence, observed_at, geom, "
                "ground_located) VALUES (%s, 'car', 0.9, %s, ST_SetSRID(ST_MakePoint(104.9, 21.69), 4326), "
                "true)", [camera, self.last_time + timedelta(milliseconds=self.written + 1)])
            self.written += 1
            time.sleep(max(0.0, self.started + self.written / PER_SECOND - time.monotonic()))  # on schedule

    def __enter__(self) -> DetectionStream:
        self.started = time.monotonic()
        self.thread.start()
        return self

    def rate(self) -> float:
        return self.written / (time.monotonic() - self.started)

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()
        self.conn.execute("DELETE FROM layers_detection WHERE id > %s", [self.first])
        self.conn.close()


def shown(page: Page, selector: str, seconds: float = 2) -> None:
    """Wait until `selector` is in the page, polling on a timer (a page of a second browser context is
    in the background, where the animation frames Playwright's own waiting uses do not run)."""
    page.wait_for_function("selector => !!document.querySelector(selector)", arg=selector, polling=100,
                           timeout=seconds * 1000)


def test_a_critical_incident_stays_pinned_among_streaming_detections_until_acknowledged(
        server_url, watched, browser):
    operator = watched.page
    sign_in(operator, server_url, "vanhanh")
    other_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    colleague = other_context.new_page()
    sign_in(colleague, server_url, "quantri")
    for page in (operator, colleague):
        page.wait_for_function("() => document.querySelector('#live-status').className === 'on'",
                               timeout=10_000)

    with DetectionStream() as stream, psycopg.connect(database_url(), autocommit=True) as conn:
        time.sleep(1)
        incident = insert_incident(conn, "PIN-WALL-1", "Cháy kho hàng chợ Yên Bái (thử)", "critical",
                                   104.9071, 21.6902)
        try:
            pinned = f"#alarms li.pinned-event[data-event='incidents:{incident}']"
            for page in (operator, colleague):
                shown(page, f"{pinned}[data-status='open']")
            assert operator.locator(f".alarm-ring.pinned[data-event='incidents:{incident}']").count() == 1

            time.sleep(6)  # the detections go on streaming
            assert stream.rate() >= 20
            assert operator.locator(f"{pinned}[data-status='open']").count() == 1
            assert operator.locator("#alarms li.pinned-event").first.get_attribute("data-event") == \
                f"incidents:{incident}"
            grouped = operator.locator("#ticker-list li.grouped").all_text_contents()
            assert 1 <= len(grouped) <= CAMERAS * 2, grouped  # one line per camera and minute
            counts = [int(re.search(r": (\d+) lượt/phút", line).group(1)) for line in grouped]
            assert sum(counts) >= 100  # 7 s at 25 a second, counted, not listed

            operator.click(f"{pinned} [data-acknowledge-event]")
            shown(operator, f"{pinned}[data-status='acknowledged']")
            shown(colleague, f"{pinned}[data-status='acknowledged'] .taken", 5)  # live, from the other wall
            assert "Phạm Quốc Dũng" in colleague.text_content(f"{pinned} .taken")
            assert colleague.locator(f".alarm-ring.pinned[data-event='incidents:{incident}']").count() == 0
            ack = EventAcknowledgement.objects.get(layer="incidents", feature_id=incident)
            assert ack.by.username == "vanhanh"
            assert watched.errors == [] and watched.outside == []
        finally:
            conn.execute("DELETE FROM alerts_eventacknowledgement WHERE feature_id = %s", [incident])
            conn.execute("DELETE FROM layers_incident WHERE id = %s", [incident])
            other_context.close()
