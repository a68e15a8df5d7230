"""The import API's refusals: Vietnamese first, English under ?lang=en, each with its HTTP status."""

from __future__ import annotations

from spatial.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    IocError,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)


class ImportRefused(IocError):
    """Root of the import API's refusals; `message(language)` is the client's text."""

    def __init__(self, vi: str, en: str, **extra: object) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en
        self.extra = dict(extra)

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.vi


class NotSignedIn(ImportRefused, NotAuthenticated):
    """401: nobody is signed in."""


class NotPermitted(ImportRefused, Forbidden):
    """403: the viewer's roles, layers or wards do not allow this import."""


class BadUpload(ImportRefused, BadRequest):
    """400: the file, the mapping or the options are wrong."""


class UnsupportedFile(ImportRefused, UnsupportedMediaType):
    """415: no reader for the file's extension."""


class TooLarge(ImportRefused, PayloadTooLarge):
    """413: the file is over the upload limit."""


class UnknownUpload(ImportRefused, NotFound):
    """404: no such upload (or not the viewer's)."""


class WrongStep(ImportRefused, Conflict):
    """409: not now (a run is going, no dry run yet, a deletion not confirmed)."""
