"""Errors of the notifications: one root, a bad event type for callers, a failed attempt for the queue."""

from __future__ import annotations


class NotifyError(Exception):
    """Root of the notification errors."""


class InvalidEventType(NotifyError, ValueError):
    """The event type is not a dotted lower-case name such as "feedback.report.assigned"."""


class DeliveryFailed(NotifyError):
    """One attempt to deliver failed (the queue retries it): an HTTP or SMTP status, or a network error."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class DeliveryCancelled(NotifyError):
    """A delivery cannot be made any more (its endpoint was switched off or removed): not retried."""
