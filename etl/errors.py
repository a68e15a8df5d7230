"""Errors of the importers; each carries the HTTP status an upload API answers with."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.report import Report


class EtlError(Exception):
    """Root of importer errors; `str()` is a message for the person who ran the import."""

    status = 400


class SourceError(EtlError):
    """The file cannot be read: unsupported, empty, corrupt, or without a usable CRS."""


class MappingError(EtlError):
    """The column mapping (file or options) is malformed or names unknown fields."""


class ImportRejected(EtlError):
    """Rows failed validation; nothing was written. `report` lists every row and reason."""

    status = 422

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"import of {report.source} into {report.layer} refused: "
            f"{report.rows_rejected} of {report.rows_read} rows have problems; nothing was written"
        )
        self.report = report


class ImportConflict(EtlError):
    """The import cannot be applied to the data as they are (e.g. replacing referenced rows)."""

    status = 409
