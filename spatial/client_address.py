"""The address of the client behind a request, believing X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parsed(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:  # empty (a Unix socket), "unknown", a host name…
        return None
    return (address.ipv4_mapped or address) if address.version == 6 else address  # ::ffff:a.b.c.d


def is_trusted_proxy(address: Address | None) -> bool:
    """Whether `address` is one of the reverse proxies in IOC_TRUSTED_PROXIES (settings.CONFIG)."""
    return address is not None and any(address in network for network in settings.CONFIG.trusted_proxies)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether `request` came straight from a proxy in IOC_TRUSTED_PROXIES."""
    return is_trusted_proxy(_parsed(request.META.get("REMOTE_ADDR", "")))


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR or, when that is a trusted proxy, the right-most X-Forwarded-For address that is
    not one (a client can prepend anything to the header, never append); None if it is no address.

    Example: REMOTE_ADDR 10.0.0.5 (trusted), X-Forwarded-For "6.6.6.6, 203.0.113.7" → "203.0.113.7".
    """
    address = _parsed(request.META.get("REMOTE_ADDR", ""))
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while is_trusted_proxy(address) and hops and (forwarded := _parsed(hops.pop())) is not None:
        address = forwarded
    return str(address) if address is not None else None
