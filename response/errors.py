"""Errors of incident response: each names the field it is about first, in Vietnamese / English, and
carries its HTTP status (spatial.errors), so the API answers them without a table of its own."""

from spatial.errors import BadRequest, Conflict, NotFound


class ResponseRefused(BadRequest):
    """What was sent cannot open an incident, complete a step or write the log (400)."""


class NoSuchThing(NotFound):
    """No incident, step or log entry by that id that this viewer may see (404)."""


class AlreadyDone(Conflict):
    """The step is done already, or the incident's response was opened already (409)."""
