"""The demo generator's error, under the importers' root error."""

from __future__ import annotations

from etl.errors import EtlError


class DemoLayoutError(EtlError):
    """The demo city cannot be laid out with this seed (for example, a site found no block)."""

    status = 500
