"""The live feed's hub: one LISTEN ioc_events connection per worker process, fanned out to clients.

The triggers of layers.db_hooks send one notice per insert statement on an event layer, whoever
inserts (ORM, importer, plain SQL). The listener thread starts with the first client and stops
after the last one; each client gets a bounded queue (a slow client loses its oldest notices,
never blocks the others).
"""

from __future__ import annotations

import json
import logging
import queue
import threading

import psycopg

from layers.db_hooks import EVENTS_CHANNEL, event_label_field
from layers.registry import Layer, registry
from spatial.access import Viewer
from tiles.invalidation import connect

logger = logging.getLogger(__name__)
CLIENT_QUEUE = 100
RECONNECT_SECONDS = 2.0
LISTEN_WAIT_SECONDS = 5.0
IDLE_CHECK_SECONDS = 1.0  # how often the listener checks whether any client is left
# a feature's member → the layer field it carries (None: always readable)
FEATURE_FIELDS = {"id": None, "lon": None, "lat": None, "time": "time_field", "value": "style_by",
                  "label": "label"}


class Full(Exception):
    """This worker already serves as many live clients as it may."""


class Hub:
    """Subscribers' queues and the thread feeding them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: set[queue.Queue] = set()
        self._thread: threading.Thread | None = None
        self._listening = threading.Event()

    def subscribe(self, limit: int) -> queue.Queue:
        """A new client's queue; raises Full when `limit` clients are already connected."""
        with self._lock:
            if len(self._queues) >= limit:
                raise Full(f"{limit} live clients already")
            client: queue.Queue = queue.Queue(CLIENT_QUEUE)
            self._queues.add(client)
            if self._thread is None:
                self._thread = threading.Thread(target=self._listen, name="live-feed", daemon=True)
                self._thread.start()
        self._listening.wait(LISTEN_WAIT_SECONDS)  # the first client misses nothing inserted after this
        return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._queues.discard(client)

    @property
    def clients(self) -> int:
        return len(self._queues)

    def publish(self, notice: dict) -> None:
        """Hand one notice to every client (dropping a lagging client's oldest one)."""
        with self._lock:
            clients = list(self._queues)
        for client in clients:
            while True:
                try:
                    client.put_nowait(notice)
                    break
                except queue.Full:
                    try:
                        client.get_nowait()
                    except queue.Empty:
                        pass

    def _listen(self) -> None:
        """Feed the clients until the last one leaves; reconnect if the database goes away."""
        while True:
            try:
                with connect(EVENTS_CHANNEL) as conn:
                    logger.info("live feed listening on %s", EVENTS_CHANNEL)
                    self._listening.set()
                    while True:
                        for notice in conn.notifies(timeout=IDLE_CHECK_SECONDS):
                            self._publish_text(notice.payload)
                        with self._lock:
                            if not self._queues:  # the connection closes with the last client
                                self._thread = None
                                self._listening.clear()
                                return
            except psycopg.OperationalError as exc:
                self._listening.clear()
                logger.warning("live feed lost its connection (%s); reconnecting", exc)
                threading.Event().wait(RECONNECT_SECONDS)
                with self._lock:
                    if not self._queues:
                        self._thread = None
                        return

    def _publish_text(self, payload: str) -> None:
        try:
            self.publish(json.loads(payload))
        except json.JSONDecodeError:
            logger.warning("live feed: a notice that is not JSON: %.200s", payload)

    def wait_stopped(self, timeout: float) -> bool:
        """Wait until the listener has let its connection go (no clients left); True if it has."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None


HUB = Hub()


def _readable_members(layer: Layer, viewer: Viewer) -> frozenset[str]:
    """The feature members this viewer may see for `layer` (id and position always)."""
    fields = set(viewer.readable_fields(layer))
    sources = {"time_field": layer.time_field, "style_by": layer.style.by, "label": event_label_field(layer)}
    return frozenset(member for member, source in FEATURE_FIELDS.items()
                     if source is None or sources[source] in fields)


class ViewerFilter:
    """Turns a notice into what one viewer may see of it (None: nothing)."""

    def __init__(self, viewer: Viewer) -> None:
        self.members = {layer.id: _readable_members(layer, viewer)
                        for layer in registry if layer.is_event and viewer.can_read(layer)}

    def __call__(self, notice: dict) -> dict | None:
        members = self.members.get(notice.get("layer"))
        if members is None:
            return None
        features = [{key: value for key, value in feature.items() if key in members}
                    for feature in notice.get("features", ())]
        return {"layer": notice["layer"], "count": notice.get("count", len(features)), "features": features}
