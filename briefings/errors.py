"""The briefings' refusals: Vietnamese first, English under ?lang=en, each naming the parameter at fault."""

from __future__ import annotations

from spatial.errors import BadRequest, Forbidden, IocError, NotFound


class BriefingError(IocError):
    """Root of the briefings' errors."""


class BadParameter(BriefingError, BadRequest):
    """400: a parameter is wrong; the message begins with its name."""


class UnknownArea(BriefingError, NotFound):
    """404: no area has that code."""


class NotAllowed(BriefingError, Forbidden):
    """403: the viewer's roles do not include reading briefings."""
