"""`GET /api/live`: new incidents, citizen reports and detections as Server-Sent Events.

Messages: `retry: 2000` first, then `event: feature` with `data: {"layer", "count", "features":
[{"id", "lon", "lat", "time", "value", "label"}]}` (only the layers and members the viewer may
read), a `: heartbeat` comment every IOC_LIVE_HEARTBEAT_SECONDS, and, when the credentials that
opened the stream stop holding (token revoked, user deactivated, password changed, session ended;
checked every IOC_LIVE_RECHECK_SECONDS), `event: closed` with `data: {"code": "NotAuthenticated",
"description"}` just before the server ends the stream.

Limits, per worker: at most IOC_LIVE_MAX_CLIENTS clients, and IOC_LIVE_MAX_PER_CLIENT from one
client address (REMOTE_ADDR, or X-Forwarded-For from IOC_TRUSTED_PROXIES); beyond, 503 with
Retry-After naming the setting. A client that goes away gives its place back at once: an idle
stream probes its connection every PROBE_SECONDS by writing nothing (granian ends the response when
the client has gone), and a newcomer who finds no place first has every stream probe (see
web_map.live_feed). The request's database connection is given back before streaming: a live client
holds a thread, never a connection (the periodic credential check borrows one for a moment).
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
from spatial.client_address import client_address
from spatial.errors import IocError
from web_map.live_credentials import Credentials
from web_map.live_feed import HUB, PROBE, AddressFull, Full, ViewerFilter

RETRY_MS = 2000
PROBE_SECONDS = 1.0  # an idle stream checks this often that its client is still connected
SIGNED_OUT = {"code": "NotAuthenticated",
              "description": "thông tin đăng nhập của luồng này không còn hiệu lực / the credentials of this "
                             "stream no longer hold (token revoked, user deactivated, password changed or "
                             "signed out)"}


class LiveFeedBusy(IocError):
    status = 503
    code = "ServiceUnavailable"
    headers = {"Retry-After": "10"}  # noqa: RUF012  (read-only class attribute)


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()


class Stream:
    """The event stream of one client; closed by the server when the client goes away (or never
    read), which gives its place in the hub back, or when its credentials stop holding."""

    def __init__(self, client: queue.Queue, visible: ViewerFilter, credentials: Credentials) -> None:
        self.client, self.visible, self.credentials = client, visible, credentials
        self.heartbeat = settings.CONFIG.live_heartbeat_seconds
        self.recheck = settings.CONFIG.live_recheck_seconds

    def __iter__(self) -> Iterator[bytes]:
        _close_connections()  # the middleware may have used the database after the view
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        started = time.monotonic()
        next_beat, next_check = started + self.heartbeat, started + self.recheck
        while True:
            wake = min(next_beat, next_check, time.monotonic() + PROBE_SECONDS)
            try:
                notice = self.client.get(timeout=max(0.0, wake - time.monotonic()))
            except queue.Empty:
                notice = None
            now = time.monotonic()
            if now >= next_check:
                next_check = now + self.recheck
                if not self._credentials_hold():
                    yield _message("closed", SIGNED_OUT)
                    return
            if notice is PROBE:
                yield b""  # sends nothing; granian ends the stream here if the client has gone
                HUB.answered(self.client)
            elif notice is not None:
                if (message := self.visible(notice)) is not None:
                    yield _message("feature", message)
            elif now >= next_beat:
                next_beat = now + self.heartbeat
                yield b": heartbeat\n\n"
            else:
                yield b""  # a probe every PROBE_SECONDS: a client gone frees its thread within that

    def _credentials_hold(self) -> bool:
        try:
            return self.credentials.hold()
        finally:
            _close_connections()  # a live client holds no connection between checks

    def close(self) -> None:
        HUB.unsubscribe(self.client)


def _message(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


@require_GET
def live(request: HttpRequest) -> StreamingHttpResponse:
    """Subscribe to the live feed (EventSource('/api/live'))."""
    visible = ViewerFilter(Viewer.of(request.user))
    credentials = Credentials.of(request)
    config = settings.CONFIG
    try:
        client = HUB.subscribe(config.live_max_clients, client_address(request) or "",
                               config.live_max_per_client)
    except AddressFull:
        raise LiveFeedBusy("địa chỉ này đã mở quá nhiều luồng trực tiếp; hãy đóng bớt / too many live "
                           "streams from this address on this worker (IOC_LIVE_MAX_PER_CLIENT)") from None
    except Full:
        raise LiveFeedBusy("luồng trực tiếp đã đủ người xem, hãy thử lại sau vài giây / the live feed is at "
                           "its client limit on this worker; retry in a few seconds (IOC_LIVE_MAX_CLIENTS)"
                           ) from None
    _close_connections()
    response = StreamingHttpResponse(Stream(client, visible, credentials),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must not buffer the stream
    return response
