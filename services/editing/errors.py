"""The editing API's refusals: each says, in Vietnamese (English under ?lang=en), whether it is a
permission or a data problem, and names the ward by its name, never by an id.

`message(language)` is the description for the client (spatial.error_responses asks for it);
`extra` adds `problem` ("permission", "data" or "conflict") and, when one is concerned, `ward` to the
JSON body, so a client can tell "you may not" from "this is wrong" without reading the text.
"""

from __future__ import annotations

from spatial.errors import BadRequest, Conflict, Forbidden, IocError


class EditRefused(IocError):
    """Root of the editing API's refusals (its subclasses carry the HTTP status)."""

    problem = "data"

    def __init__(self, vi: str, en: str, ward: str | None = None) -> None:
        super().__init__(vi)
        self.vi, self.en = vi, en
        self.extra = {"problem": self.problem, **({"ward": ward} if ward else {})}

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.vi


class NotPermitted(EditRefused, Forbidden):
    """403: the viewer's roles or wards do not allow this write; the data may be fine."""

    problem = "permission"


class InvalidEdit(EditRefused, BadRequest):
    """400: the sent feature is wrong (a value, a shape, a ward that does not follow the shape)."""


class TakenNumber(EditRefused, Conflict):
    """409: another feature already holds the numbers (sheet and parcel number in the ward)."""

    problem = "conflict"
