"""Errors of directives: each names the field (or the status) in Vietnamese / English and carries its HTTP
status (spatial.errors), so the API turns them into answers without a table of its own."""

from spatial.errors import BadRequest, Conflict, Forbidden


class DirectiveRefused(BadRequest):
    """What was sent cannot make or move a directive (400); the message begins with the field's name."""


class NotYourMove(Forbidden):
    """This viewer's roles do not make this move, or do not issue directives (403)."""


class WrongStatus(Conflict):
    """The directive's status does not allow the move now (409), e.g. acknowledging a closed one."""
