"""Errors of the Open311 API: each carries its HTTP status and a message in Vietnamese and English.

The specification answers every error with HTTP 400, 403 or 404 and a body listing {code, description}
(views.answer renders them); nothing here knows about HTTP responses.
"""

from __future__ import annotations

from spatial.errors import IocError


class Open311Error(IocError):
    """Root of the Open311 errors; `message(language)` is the description a client shows its user."""

    status = 400
    code = "Open311Error"

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.vi


class BadParameter(Open311Error):
    """A parameter the request cannot be answered with (400); both messages name it."""


class NotFound(Open311Error):
    """A resource that does not exist (404): a service, a request, a token, a format, a path."""

    status = 404
    code = "NotFound"
