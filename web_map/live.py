"""`GET /api/live`: new incidents, citizen reports and detections as Server-Sent Events.

Messages: `event: feature` with `data: {"layer", "count", "features": [{"id", "lon", "lat", "time",
"value", "label"}]}` (only the layers and members the viewer may read), a `: heartbeat` comment
every IOC_LIVE_HEARTBEAT_SECONDS, and `retry: 2000` first. At most IOC_LIVE_MAX_CLIENTS clients per
worker: beyond, 503 with Retry-After. The request's database connection is given back before
streaming: a live client holds a thread, never a connection.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from spatial.access import Viewer
from spatial.errors import IocError
from web_map.live_feed import HUB, Full, ViewerFilter

RETRY_MS = 2000


class LiveFeedBusy(IocError):
    status = 503
    code = "ServiceUnavailable"
    headers = {"Retry-After": "10"}  # noqa: RUF012  (read-only class attribute)


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()


class Stream:
    """The event stream of one client; closed by the server when the client goes away (or never
    read), which gives its place in the hub back."""

    def __init__(self, client: queue.Queue, visible: ViewerFilter, heartbeat: float) -> None:
        self.client, self.visible, self.heartbeat = client, visible, heartbeat

    def __iter__(self) -> Iterator[bytes]:
        _close_connections()  # the middleware may have used the database after the view
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        next_beat = time.monotonic() + self.heartbeat
        while True:
            try:
                notice = self.client.get(timeout=max(0.0, next_beat - time.monotonic()))
            except queue.Empty:
                next_beat = time.monotonic() + self.heartbeat
                yield b": heartbeat\n\n"
                continue
            if (message := self.visible(notice)) is not None:
                yield f"event: feature\ndata: {json.dumps(message, ensure_ascii=False)}\n\n".encode()

    def close(self) -> None:
        HUB.unsubscribe(self.client)


@require_GET
def live(request: HttpRequest) -> StreamingHttpResponse:
    """Subscribe to the live feed (EventSource('/api/live'))."""
    visible = ViewerFilter(Viewer.of(request.user))
    try:
        client = HUB.subscribe(settings.CONFIG.live_max_clients)
    except Full:
        raise LiveFeedBusy("the live feed is at its client limit on this worker; retry in a few seconds "
                           "(IOC_LIVE_MAX_CLIENTS)") from None
    _close_connections()
    response = StreamingHttpResponse(Stream(client, visible, settings.CONFIG.live_heartbeat_seconds),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must not buffer the stream
    return response
