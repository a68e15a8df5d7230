"""Signed webhook POSTs, through the standard library's urllib: one short request, no redirect followed
(a 3xx is a failed attempt, so a POST never turns into a GET elsewhere), any 2xx is delivered."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from django.conf import settings

from notify.errors import DeliveryCancelled, DeliveryFailed
from notify.signatures import sign

if TYPE_CHECKING:
    from notify.models import Delivery

USER_AGENT = "ToanCanh-Webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises HTTPError with the 3xx


_OPENER = urllib.request.build_opener(_NoRedirects)


def send(delivery: Delivery) -> int:
    """POST the event to the delivery's endpoint, signed now; returns the HTTP status (2xx)."""
    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.active:
        raise DeliveryCancelled("the endpoint was removed or switched off")
    event = delivery.event
    body, timestamp = event.body(), str(int(time.time()))
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Ioc-Event": event.type,
        "X-Ioc-Delivery": str(event.id),
        "X-Ioc-Timestamp": timestamp,
        "X-Ioc-Signature": sign(endpoint.secret, timestamp, body),
    })
    try:
        with _OPENER.open(request, timeout=settings.NOTIFY.timeout_s) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code} {exc.reason}", exc.code) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:  # refused, timed out, DNS
        raise DeliveryFailed(f"{endpoint.url}: {getattr(exc, 'reason', exc)}") from exc
