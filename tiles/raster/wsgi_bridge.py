"""Calling a WSGI application (MapProxy) from a Django view, under WSGI or ASGI servers alike."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse

from spatial.client_address import from_trusted_proxy

# hop-by-hop headers belong to one connection and must not be copied (RFC 9110 §7.6.1)
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                        "trailer", "transfer-encoding", "upgrade"})
# what a reverse proxy says about how the client reached it: MapProxy builds the URLs of its
# capabilities from X-Forwarded-Host, X-Forwarded-Proto and X-Script-Name, so they are believed
# only from the proxies named in IOC_TRUSTED_PROXIES
PROXY_HEADER = re.compile(r"forwarded|x-forwarded-.+|x-script-name|x-real-ip", re.IGNORECASE)


def wsgi_environ(request: HttpRequest, script_name: str, path_info: str) -> dict:
    """The WSGI environ of `request`, as if the application were mounted at `script_name` (proxy
    headers only from a trusted proxy)."""
    body = request.body
    environ = {
        "REQUEST_METHOD": request.method, "SCRIPT_NAME": script_name, "PATH_INFO": path_info,
        "QUERY_STRING": request.META.get("QUERY_STRING", ""),
        "SERVER_NAME": request.get_host().rsplit(":", 1)[0], "SERVER_PORT": str(request.get_port()),
        "SERVER_PROTOCOL": request.META.get("SERVER_PROTOCOL", "HTTP/1.1"),
        "REMOTE_ADDR": request.META.get("REMOTE_ADDR", ""),
        "CONTENT_TYPE": request.content_type or "", "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0), "wsgi.url_scheme": request.scheme, "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    trusted = from_trusted_proxy(request)
    for name, value in request.headers.items():
        if name.lower() in ("content-type", "content-length"):
            continue
        if trusted or not PROXY_HEADER.fullmatch(name):
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call_wsgi(app: Callable[..., Iterable[bytes]], request: HttpRequest, *, script_name: str,
              path_info: str) -> HttpResponse:
    """The application's answer to `request` as a Django response (status, headers and body)."""
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        answer["status"], answer["headers"] = status, headers

    chunks = app(wsgi_environ(request, script_name, path_info), start_response)
    try:
        content = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    response = HttpResponse(content, status=int(answer["status"].split(" ", 1)[0]))
    for name, value in answer["headers"]:
        if name.lower() not in HOP_BY_HOP:
            response[name] = value
    return response
