"""The live feed's hub: one LISTEN ioc_events connection per worker process, fanned out to clients.

The triggers of layers.db_hooks send one notice per insert statement on an event layer, whoever
inserts (ORM, importer, plain SQL). The listener thread starts with the first client and stops
after the last one; each client gets a bounded queue (a slow client loses its oldest notices,
never blocks the others).

Places are limited per worker and per client address. When a newcomer finds no place, the hub asks
every client's stream to probe its connection (PROBE in its queue): a client that went away is
found and leaves at once, and the newcomer takes its place instead of being refused.
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
PROBE_WAIT_SECONDS = 1.0  # how long a newcomer waits at most for probed clients to answer
PROBE = object()  # put in a client's queue: "check that your client is still there"
# a feature's member → the layer field it carries (None: always readable)
FEATURE_FIELDS = {"id": None, "lon": None, "lat": None, "time": "time_field", "value": "style_by",
                  "label": "label", "pin": "priority", "group": "ticker_group",
                  "group_label": "ticker_group"}


class Full(Exception):
    """This worker already serves as many live clients as it may."""


class AddressFull(Full):
    """This worker already serves as many live clients from this address as it may."""


def _must_keep(notice: object) -> bool:
    """A notice the wall must not miss: an acknowledgement, or new features of which one is pinned."""
    if not isinstance(notice, dict):
        return False
    return "acknowledged" in notice or any(feature.get("pin") for feature in notice.get("features", ()))


class ClientQueue(queue.Queue):
    """A live client's bounded queue. `offer` never blocks: a full queue makes room by losing its oldest
    ordinary notice (its oldest of all, if every one must be kept), in the one step of the queue's own
    lock (as queue.PriorityQueue extends Queue through its storage, `self.queue`)."""

    def offer(self, notice: object) -> None:
        with self.not_full:  # the lock Queue.put takes: nothing is put or taken meanwhile
            if 0 < self.maxsize <= self._qsize():
                ordinary = next((n for n, waiting in enumerate(self.queue) if not _must_keep(waiting)), 0)
                del self.queue[ordinary]
                self.unfinished_tasks -= 1
            self._put(notice)
            self.unfinished_tasks += 1
            self.not_empty.notify()


class Hub:
    """Subscribers' queues (each with its client's address) and the thread feeding them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a client left or answered a probe
        self._queues: dict[ClientQueue, str] = {}
        self._probed: set[ClientQueue] = set()  # asked to probe, not answered yet
        self._thread: threading.Thread | None = None
        self._listening = threading.Event()

    def subscribe(self, limit: int, address: str = "", per_address: int | None = None) -> ClientQueue:
        """A new client's queue. When `limit` clients, or `per_address` from `address`, are already
        connected, the connected ones probe their connections first; raises Full (AddressFull) if
        none of them has gone away."""
        with self._changed:
            if self._refusal(limit, address, per_address) is not None:
                asked = self._probe_all()
                self._changed.wait_for(lambda: self._refusal(limit, address, per_address) is None
                                       or not asked & self._probed, PROBE_WAIT_SECONDS)
            if (refusal := self._refusal(limit, address, per_address)) is not None:
                raise refusal
            client = ClientQueue(CLIENT_QUEUE)
            self._queues[client] = address
            if self._thread is None:
                self._thread = threading.Thread(target=self._listen, name="live-feed", daemon=True)
                self._thread.start()
        self._listening.wait(LISTEN_WAIT_SECONDS)  # the first client misses nothing inserted after this
        return client

    def _refusal(self, limit: int, address: str, per_address: int | None) -> Full | None:
        if len(self._queues) >= limit:
            return Full(f"{limit} live clients already")
        if per_address is not None and list(self._queues.values()).count(address) >= per_address:
            return AddressFull(f"{per_address} live clients from {address} already")
        return None

    def _probe_all(self) -> set[ClientQueue]:
        """Ask every client's stream to check its connection; the clients asked (not those whose
        queue is full: their stream is busy sending, or stuck on a client that does not read)."""
        asked = set()
        for client in self._queues:
            try:
                client.put_nowait(PROBE)
                asked.add(client)
            except queue.Full:
                pass
        self._probed |= asked
        return asked

    def answered(self, client: ClientQueue) -> None:
        """The client's stream probed its connection and found the client there."""
        with self._changed:
            self._probed.discard(client)
            self._changed.notify_all()

    def unsubscribe(self, client: ClientQueue) -> None:
        with self._changed:
            self._queues.pop(client, None)
            self._probed.discard(client)
            self._changed.notify_all()

    @property
    def clients(self) -> int:
        return len(self._queues)

    def publish(self, notice: dict) -> None:
        """Hand one notice to every client; a lagging client loses its oldest ordinary notice, never one
        that must not be missed (a pinned event, an acknowledgement) while it has others to lose."""
        with self._lock:
            clients = list(self._queues)
        for client in clients:
            client.offer(notice)


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
    sources = {"time_field": layer.time_field, "style_by": layer.style.by, "label": event_label_field(layer),
               "priority": layer.priority.field if layer.priority else None,
               "ticker_group": layer.ticker_group}
    return frozenset(member for member, source in FEATURE_FIELDS.items()
                     if source is None or sources[source] in fields)


class ViewerFilter:
    """Turns a notice into what one viewer may see of it (None: nothing).

    A viewer limited to some units on a layer (unit staff, Viewer.unit_scope) gets only the features
    of their units (by the `unit` the notice carries), counted as many as it gets: of a statement
    that inserted more rows than a notice carries, the others are unknown here.
    """

    def __init__(self, viewer: Viewer) -> None:
        readable = [layer for layer in registry if layer.is_event and viewer.can_read(layer)]
        self.members = {layer.id: _readable_members(layer, viewer) for layer in readable}
        self.units = {layer.id: scope for layer in readable
                      if (scope := viewer.unit_scope(layer)) is not None}

    def __call__(self, notice: dict) -> dict | None:
        members = self.members.get(notice.get("layer"))
        if members is None:
            return None
        if "acknowledged" in notice:  # an operator took a pinned event (alerts.pinned): every reader hears
            return {"layer": notice["layer"], "acknowledged": notice["acknowledged"]}
        found = notice.get("features", ())
        count = notice.get("count", len(found))
        if (units := self.units.get(notice["layer"])) is not None:
            found = [feature for feature in found if feature.get("unit") in units]
            if not found:
                return None
            count = len(found)
        features = [{key: value for key, value in feature.items() if key in members} for feature in found]
        return {"layer": notice["layer"], "count": count, "features": features}
