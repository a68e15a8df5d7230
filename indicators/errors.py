"""The hub's refusals: Vietnamese first, English under ?lang=en, each with its HTTP status and naming
the parameter (or the unit) at fault."""

from __future__ import annotations

from spatial.errors import BadRequest, IocError, NotFound


class HubRefused(IocError):
    """Root of the hub's refusals; `message(language)` is the client's text."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.vi


class BadParameter(HubRefused, BadRequest):
    """400: a parameter is missing or wrong; the message begins with its name."""


class UnknownUnit(HubRefused, NotFound):
    """404: no organisation unit has that code (by the dates asked)."""


class ValueRefused(HubRefused, BadRequest):
    """400: a value cannot be recorded; the message begins with the field at fault."""
