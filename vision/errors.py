"""Errors of the camera AI package; each says what to fix."""

from __future__ import annotations

from spatial.errors import IocError


class VisionError(IocError):
    """Root of camera AI errors."""


class CalibrationError(VisionError):
    """The reference points cannot give a usable image-to-ground mapping."""
