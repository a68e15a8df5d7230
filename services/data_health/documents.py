"""What the data-health API and page show of each layer a viewer reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.utils import timezone

from etl.models import Harvest, ImportReport
from layers.freshness import freshness
from layers.registry import Layer, registry
from layers.vocabularies import CADENCE
from spatial.access import Viewer

HISTORY = 10  # imports listed per layer


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def import_document(report: ImportReport) -> dict[str, Any]:
    """One import: when, how, what it did, and the share of valid rows ("Đúng, Sạch")."""
    refused = report.rows_rejected
    return {"id": report.pk, "at": _local(report.started_at), "status": report.status, "mode": report.mode,
            "source": PurePath(report.source).name, "rows_read": report.rows_read,
            "refused": refused, "counts": report.counts,
            "valid_share": round(1 - refused / report.rows_read, 4) if report.rows_read else None}


def harvest_document(harvest: Harvest) -> dict[str, Any]:
    """A scheduled harvest of the layer and how its last run went (`failing`: it failed)."""
    return {"code": harvest.code, "kind": harvest.kind, "every_minutes": harvest.every_minutes,
            "active": harvest.active, "last_run_at": _local(harvest.last_run_at),
            "last_outcome": harvest.last_outcome or None, "last_message": harvest.last_message,
            "failing": harvest.last_outcome == "failed"}


def layer_document(layer: Layer, now: datetime) -> dict[str, Any]:
    """A layer's freshness and its imports, newest first."""
    known = freshness(layer)
    imports = [import_document(report) for report in
               ImportReport.objects.filter(layer=layer.id).order_by("-started_at", "-pk")[:HISTORY]]
    cadence = CADENCE[layer.cadence] if layer.cadence else None
    return {
        "id": layer.id, "title_vi": layer.title_vi, "title_en": layer.title_en,
        "cadence": layer.cadence, "cadence_vi": cadence.vi if cadence else None,
        "cadence_en": cadence.en if cadence else None,
        "last_update": _local(known.last_update), "rows_changed_at": _local(known.rows_changed_at),
        "confirmed_at": _local(known.confirmed_at), "due_by": _local(known.due_by), "late": known.late(now),
        "last_import": imports[0] if imports else None, "imports": imports,
        "harvests": [harvest_document(h) for h in Harvest.objects.filter(layer=layer.id).order_by("code")],
    }


def health(viewer: Viewer, now: datetime) -> list[dict[str, Any]]:
    """Every layer the viewer reads, late ones first, then by registry order."""
    rows = [layer_document(layer, now) for layer in registry if viewer.can_read(layer)]
    return sorted(rows, key=lambda row: not row["late"])
