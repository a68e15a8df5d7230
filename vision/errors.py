"""Errors of the camera AI package; each says what to fix."""

from __future__ import annotations

from spatial.errors import IocError


class VisionError(IocError):
    """Root of camera AI errors."""


class CalibrationError(VisionError):
    """The reference points cannot give a usable image-to-ground mapping."""


class SourceError(VisionError):
    """A video source cannot be opened or read."""


class ModelError(VisionError):
    """A detector's weights are missing, corrupt or of the wrong kind."""
