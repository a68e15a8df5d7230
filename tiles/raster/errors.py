"""Errors of the raster package; each carries its HTTP status and OGC exception code."""

from __future__ import annotations

from spatial.errors import IocError


class RasterError(IocError):
    """Root of raster errors: the message says what to run or change."""

    status = 500
    code = "NoApplicableCode"


class NoCityData(RasterError):
    """The database holds no features to render a raster from."""

    status = 409
    code = "NoCityData"


class RastersNotGenerated(RasterError):
    """The raster files or the MapProxy configuration are missing."""

    status = 503
    code = "ServiceUnavailable"


class SeedingFailed(RasterError):
    """MapProxy rejected the seeding configuration or stopped before finishing."""
