"""A dry run or a load of an upload: checked and queued by the web, run by the queue's worker with
`etl.importer.import_file` (the engine of `ioc import`), progress and report written to the upload's
state. A load runs exactly the options of the dry run before it; `replace` needs the deletion confirmed."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

from etl.errors import EtlError, ImportRejected, MappingError
from etl.importer import ImportOptions, import_file
from etl.mapping import ColumnMapping
from etl.models import ImportReport
from etl.report import Report
from etl.sources import TABLE_SUFFIXES
from services.imports import uploads
from services.imports.access import check_target, ward_rule
from services.imports.errors import BadUpload, WrongStep
from services.imports.uploads import Upload
from spatial.access import Viewer

logger = logging.getLogger(__name__)
BUSY = ("checking", "loading")
PROBLEMS_SHOWN = 200
PROGRESS_SECONDS = 0.5  # the state is written at most this often while rows are written
_WRITTEN = re.compile(r"([\d,]+)/([\d,]+)")


def options_of(body: dict, viewer: Viewer) -> dict:
    """The run's options from a request body, checked: layer, mode, mapping, crs, source layer,
    load_valid, repair (400 naming what is wrong, 403 for a layer or mode not the viewer's)."""
    layer, mode = str(body.get("layer") or ""), str(body.get("mode") or "append")
    check_target(viewer, layer, mode)
    mapping = body.get("mapping") or {}
    try:
        ColumnMapping.from_dict(mapping, "mapping")
    except MappingError as exc:
        raise BadUpload(f"mapping: ánh xạ cột không hợp lệ: {exc}", f"mapping: {exc}") from exc
    return {"layer": layer, "mode": mode, "mapping": mapping, "crs": body.get("crs") or None,
            "source_layer": body.get("source_layer") or None, "load_valid": bool(body.get("load_valid")),
            "repair": bool(body.get("repair")), "language": "en" if body.get("language") == "en" else "vi"}


def start_dry_run(upload: Upload, options: dict) -> None:
    """Queue a dry run of the upload with `options` (409 while a run is going)."""
    check_idle(upload)
    upload.state.update(options=options, status="checking", progress=None, dry_run=None, load=None)
    upload.save()
    _defer(upload, "dry_run")


def start_load(upload: Upload, viewer: Viewer, confirm_delete: object) -> None:
    """Queue the load the last dry run checked; `replace` needs `confirm_delete` equal to the number of
    rows it deletes (409 saying what it deletes otherwise)."""
    check_idle(upload)
    checked = upload.state.get("dry_run")
    if upload.state["status"] != "checked" or not checked:
        raise WrongStep("hãy chạy thử trước khi nạp", "run a dry run before loading")
    if checked["status"] != "dry_run":
        raise WrongStep("lần chạy thử bị từ chối: sửa tệp, hoặc chọn nạp các dòng hợp lệ, rồi chạy thử lại",
                        "the dry run was refused: fix the file, or choose to load the valid rows, and run "
                        "it again")
    options = upload.state["options"]
    check_target(viewer, options["layer"], options["mode"])  # roles may have changed since
    deleted = checked["counts"].get("deleted", 0)
    if options["mode"] == "replace" and confirm_delete != deleted:
        said = "; ".join(checked["warnings"])
        raise WrongStep(
            f"confirm_delete: chế độ thay thế xóa {deleted:,} dòng của lớp {options['layer']} ({said}); "
            f"gửi confirm_delete: {deleted} để xác nhận",
            f"confirm_delete: replace deletes {deleted:,} rows of {options['layer']} ({said}); send "
            f"confirm_delete: {deleted} to confirm", deletes=deleted, warnings=checked["warnings"])
    upload.state.update(status="loading", progress=None, load=None)
    upload.save()
    _defer(upload, "load")


def check_idle(upload: Upload) -> None:
    """409 while a run of the upload is going."""
    if upload.state["status"] in BUSY:
        raise WrongStep("tệp đang được xử lý, hãy đợi xong",
                        "a run of this file is going; wait until it ends")


def _defer(upload: Upload, kind: str) -> None:
    from services.imports.tasks import run_job

    run_job.defer(upload_id=upload.id, kind=kind)


def run(upload_id: str, kind: str) -> None:
    """The queue's job: run the import (`kind`: dry_run or load) and write its outcome to the state."""
    upload = uploads.get(upload_id)
    options = upload.state["options"]
    viewer = Viewer.of(_user(upload.state["owner"]))
    table = upload.path.suffix.lower() in TABLE_SUFFIXES
    refused = upload.file(f"refused-{kind}{'.csv' if table else '.gpkg'}")
    refused.unlink(missing_ok=True)
    mapping = upload.file("mapping.json")
    mapping.write_text(json.dumps(options["mapping"], ensure_ascii=False), encoding="utf-8")
    engine = ImportOptions(
        layer=options["layer"], mode=options["mode"], crs=options["crs"], mapping=mapping,
        dry_run=kind == "dry_run", repair=options["repair"], source_layer=options["source_layer"],
        actor=f"user:{viewer.username}", progress=_progress_writer(upload_id),
        load_valid=options["load_valid"], refused_path=refused,
        row_rules=ward_rule(viewer, options["layer"], options["language"]))
    outcome: dict
    try:
        report = import_file(upload.path, engine)
        outcome = summary(report)
    except ImportRejected as exc:
        outcome = summary(exc.report)
    except EtlError as exc:
        outcome = {"status": "failed", "error": str(exc), "counts": {}, "problems": [], "warnings": []}
    except Exception:  # recorded for the page, then raised for the worker's log
        with uploads.changing(upload_id) as current:
            failed = {"status": "failed", "error": "internal error", "counts": {}, "problems": [],
                      "warnings": []}
            current.state.update({kind: failed, "status": "failed", "progress": None})
        raise
    outcome["refused_file"] = refused.name if refused.exists() else None
    outcome["record"] = _record(upload)
    with uploads.changing(upload_id) as current:
        current.state[kind] = outcome
        current.state["progress"] = None
        loaded = kind == "load" and outcome["status"] == "loaded"
        current.state["status"] = ("loaded" if loaded else "failed") if kind == "load" else "checked"
    logger.info("browser import %s (%s) of %s into %s by %s: %s %s", upload_id, kind, upload.state["name"],
                options["layer"], viewer.username, outcome["status"], outcome["counts"])


def summary(report: Report) -> dict:
    """What the page shows of a report: status, counts, rows, warnings, the first problems."""
    return {"status": report.status, "counts": dict(report.counts), "rows_read": report.rows_read,
            "rows_loaded": report.rows_loaded, "warnings": list(report.warnings),
            "problems": [{"row": p.row, "column": p.column, "message": p.message}
                         for p in report.problems[:PROBLEMS_SHOWN]],
            "problems_total": len(report.problems), "source_crs": report.source_crs}


def _record(upload: Upload) -> int | None:
    """The id of the stored report (etl.ImportReport: who, file, layer, mode, counts, status)."""
    return ImportReport.objects.filter(source=str(upload.path)).order_by("-started_at") \
        .values_list("pk", flat=True).first()


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _progress_writer(upload_id: str):
    """A progress callback writing the engine's message (and rows written of rows) to the state."""
    last = [0.0]

    def write(message: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        found = _WRITTEN.search(message)
        done, total = (int(n.replace(",", "")) for n in found.groups()) if found else (None, None)
        with uploads.changing(upload_id) as upload:
            upload.state["progress"] = {"message": message, "done": done, "total": total}

    return write


def refused_file(upload: Upload, kind: str) -> Path:
    """The refused rows of the upload's last dry run or load (404 when there are none)."""
    outcome = upload.state.get(kind) or {}
    name = outcome.get("refused_file")
    if kind not in ("dry_run", "load") or not name or not upload.file(name).exists():
        from services.imports.errors import UnknownUpload

        raise UnknownUpload("không có dòng bị từ chối để tải về", "there are no refused rows to download")
    return upload.file(name)
