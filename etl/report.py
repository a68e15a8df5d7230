"""The import report: rows read, loaded and rejected, with every reason, printed and stored."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from etl.errors import EtlError


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

    @property
    def rejected_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row}

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    def summary(self, limit: int = 50) -> str:
        """A human-readable report, problems grouped by kind, at most `limit` listed."""
        lines = [
            f"Nhập dữ liệu / Import: {self.source} → {self.layer} ({self.mode})",
            f"  trạng thái / status: {self.status}",
            f"  đọc / read: {self.rows_read}   nạp / loaded: {self.rows_loaded}   "
            f"từ chối / rejected: {self.rows_rejected}   thời gian / duration: {self.duration_s:.2f} s",
        ]
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
            actor=self.actor,
        )
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
        report.duration_s = time.perf_counter() - clock
        report.store()
