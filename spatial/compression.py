"""Compressed responses: Django's GZipMiddleware, except where compressing would break the protocol.

Left as they are: Server-Sent Events (a compressor holds the events back until its buffer fills, so
/api/live would stall), responses that already say their encoding (tiles, gzipped by tiles.views;
static files WhiteNoise serves precompressed), and responses carrying an ETag outside the static
files: GZipMiddleware turns a strong ETag weak, and the editing API's If-Match needs the strong one
back (RFC 9110 §13.1.1). Static files keep compressing: hashed ones are never revalidated.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return response
        if response.has_header("ETag") and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return response
        if request.method == "HEAD":  # no body to compress: the same Vary as the GET's, still
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
