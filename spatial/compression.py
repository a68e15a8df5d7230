"""Compressed responses: Django's GZipMiddleware, except where compressing would break the protocol,
and brotli for static files when the client accepts it.

Left as they are: Server-Sent Events (a compressor holds the events back until its buffer fills, so
/api/live would stall), responses that already say their encoding (tiles, gzipped by tiles.views;
static files WhiteNoise serves precompressed), and responses carrying an ETag outside the static
files: GZipMiddleware turns a strong ETag weak, and the editing API's If-Match needs the strong one
back (RFC 9110 §13.1.1). Static files keep compressing: hashed ones are never revalidated.

Brotli (`br`) is used for static files only: they hold no secret, so its lack of the random padding
Django adds to gzip against BREACH costs nothing there; pages and JSON, which may carry a CSRF token
beside reflected input, stay gzip with that padding. The bundle's sizes are in bench/wall.
"""

from __future__ import annotations

import re

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

ACCEPTS_BROTLI = re.compile(r"\bbr\b")
BROTLI_QUALITY = 5  # on the fly: about gzip's speed, a smaller answer (bench/wall prints both sizes)


def _brotli_sequence(chunks):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        if packed := compressor.process(chunk):
            yield packed
    yield compressor.finish()


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return response
        static = request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        if response.has_header("ETag") and not static:
            return response
        if static and request.method == "GET" and not response.has_header("Content-Encoding") \
                and ACCEPTS_BROTLI.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return self._brotli(response)
        if request.method == "HEAD":  # no body to compress: the same Vary as the GET's, still
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)

    @staticmethod
    def _brotli(response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Accept-Encoding",))
        if response.streaming:
            response.streaming_content = _brotli_sequence(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            response.content = brotli.compress(response.content, quality=BROTLI_QUALITY)
            response.headers["Content-Length"] = str(len(response.content))
        if (etag := response.get("ETag", "")).startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
