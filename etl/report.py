"""The import report: rows read, loaded and rejected, with every reason, printed and stored."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from etl.errors import EtlError
from layers.models.refresh import LayerRefresh

COUNTS = ("inserted", "updated", "unchanged", "deleted", "refused")
COUNT_LABELS = {"inserted": "thêm / inserted", "updated": "cập nhật / updated",
    "unchanged": "không đổi / unchanged",
                "deleted": "xóa / deleted", "refused": "từ chối / refused"}
SHOWN_CHARACTERS = 60


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A value as a message quotes it: repr, cut to `limit` characters with its length said, so a
    5 MB cell is not echoed whole, e.g. shown("x" * 10**6) == "'xxx…' (1,000,000 characters)"."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = len(value) if isinstance(value, str | bytes) else len(text)
    return f"{text[:limit]}…' ({length:,} characters)"


@dataclass(frozen=True)
class Problem:
    """One reason a row (1-based, in file order) was refused; row 0 means the whole file."""

    row: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class Report:
    layer: str
    source: str
    mode: str
    started_at: datetime
    source_crs: str = ""
    status: str = "failed"
    rows_read: int = 0
    rows_loaded: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    actor: str = ""
    # inserted, updated, unchanged, deleted, refused: what the import did (or a dry run would do)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    # rows above the first record: 1 for tables (CSV, XLSX: the header), so rows are named as a
    # spreadsheet shows them; problems carry record numbers until the report is finished
    header_rows: int = 0
    refused_file: str = ""
    stored_id: int | None = None  # the etl.ImportReport it was stored as

    @property
    def rejected_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row}

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    def finish(self) -> None:
        """Name rows as the file shows them and count the refused ones (once, at the end)."""
        if self.header_rows:
            self.problems = [replace(p, row=p.row + self.header_rows) if p.row else p for p in self.problems]
            self.header_rows = 0
        self.counts["refused"] = self.rows_rejected

    def summary(self, limit: int = 50) -> str:
        """A human-readable report, problems grouped by kind, at most `limit` listed."""
        lines = [
            f"Nhập dữ liệu / Import: {self.source} → {self.layer} ({self.mode})",
            f"  trạng thái / status: {self.status}",
            f"  đọc / read: {self.rows_read}   nạp / loaded: {self.rows_loaded}   "
            f"từ chối / rejected: {self.rows_rejected}   thời gian / duration: {self.duration_s:.2f} s",
            "  " + "   ".join(f"{COUNT_LABELS[name]}: {self.counts.get(name, 0)}" for name in COUNTS),
        ]
        if self.refused_file:
            lines.append(f"  các dòng bị từ chối / refused rows: {self.refused_file}")
        if self.source_crs:
            lines.append(f"  hệ tọa độ nguồn / source CRS: {self.source_crs}")
        for warning in self.warnings:
            lines.append(f"  cảnh báo / warning: {warning}")
        if self.problems:
            kinds = Counter(p.message.split(":")[0] for p in self.problems)
            lines.append("  lỗi theo loại / problems by kind: " + "; ".join(
                f"{kind} ×{n}" for kind, n in kinds.most_common()))
            lines.extend(f"  - {p}" for p in self.problems[:limit])
            if len(self.problems) > limit:
                lines.append(f"  … and {len(self.problems) - limit} more (see the stored report)")
        return "\n".join(lines)

    def store(self) -> int:
        """Save the report in etl.ImportReport (outside the import's transaction); return its id."""
        from etl.models import ImportReport

        row = ImportReport.objects.create(
            layer=self.layer, source=self.source, mode=self.mode, source_crs=self.source_crs,
            status=self.status, rows_read=self.rows_read, rows_loaded=self.rows_loaded,
            rows_rejected=self.rows_rejected,
            problems=[{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            warnings=self.warnings, started_at=self.started_at, duration_s=self.duration_s,
            actor=self.actor, counts=self.counts,
        )
        if self.status == "loaded":  # the layer's data confirmed current, even when nothing changed
            finished = self.started_at + timedelta(seconds=self.duration_s)
            LayerRefresh.record(self.layer, finished, source=f"import:{Path(self.source).name}"[:200])
        self.stored_id = row.pk
        return row.pk


@contextmanager
def recorded(report: Report) -> Iterator[Report]:
    """Time an import and store its report whatever happens; a refusal's message becomes a problem."""
    clock = time.perf_counter()
    try:
        yield report
    except EtlError as exc:
        report.status = "failed"
        if not report.problems:
            report.problems.append(Problem(0, str(exc)))
        raise
    finally:
        report.finish()
        report.duration_s = time.perf_counter() - clock
        report.store()
