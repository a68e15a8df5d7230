"""Import time-series tables (CSV/XLSX) into layers.Observation, long or wide format.

Long: columns layer, feature_code, metric, [period], observed_at, value.
Wide (with a layer given): feature_code, observed_at, then one column per metric code.
Metrics must be declared for the layer in the registry; values are upserted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from etl import writer
from etl.casting import converter_for
from etl.errors import ImportRejected, MappingError
from etl.importer import ImportOptions
from etl.mapping import ColumnMapping
from etl.report import Problem, Report, recorded
from etl.sources import read_source
from layers.models import Observation
from layers.registry import registry

KEY = ["layer", "metric", "feature_id", "period", "observed_at"]
LONG = {"layer", "feature_code", "metric", "observed_at", "value"}


def _to_long(frame: pd.DataFrame, for_layer: str | None) -> pd.DataFrame:
    frame = frame.rename(columns={"code": "feature_code"})
    if LONG <= set(frame.columns):
        unknown = set(frame.columns) - LONG - {"period"}
        if unknown:
            raise MappingError(
                f"unknown columns {sorted(unknown)}; a long table has {sorted(LONG)} and optionally period"
            )
        return frame
    if not for_layer:
        raise MappingError(
            f"the table has columns {list(frame.columns)}: a long table needs "
            f"{sorted(LONG)}; for a wide table (one column per metric) give --for-layer"
        )
    layer = registry.get(for_layer)
    if "feature_code" not in frame or "observed_at" not in frame:
        raise MappingError("a wide table needs the columns feature_code and observed_at")
    metrics = [c for c in frame.columns if c not in {"feature_code", "observed_at"}]
    declared = {m.code for m in layer.metrics}
    if unknown := [m for m in metrics if m not in declared]:
        raise MappingError(f"layer {for_layer} has no metrics {unknown}; declared: {sorted(declared)}")
    long = frame.melt(
        id_vars=["feature_code", "observed_at"], value_vars=metrics, var_name="metric", value_name="value"
    )
    long.insert(0, "layer", for_layer)
    return long


def _feature_ids(layer_id: str) -> dict[str, int]:
    layer = registry.get(layer_id)
    ordering = "valid_from" if layer.model_class._meta.model_name == "adminunit" else "pk"
    return {str(code): pk for code, pk in layer.queryset().order_by(ordering).values_list("code", "pk")}


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())]


def _validate(long: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    out = pd.DataFrame(index=long.index)
    out["layer"], out["metric"] = long["layer"].astype(str), long["metric"].astype(str)
    out["period"], out["feature_id"] = None, None
    codes = long["feature_code"].astype(str).str.strip()
    for (layer_id, metric_code), group in out.groupby(["layer", "metric"]).groups.items():
        rows = out.index.isin(group)
        if layer_id not in registry:
            problems.extend(
                Problem(r, f"unknown layer: {layer_id!r}", "layer") for r in _rows(pd.Series(rows))
            )
            continue
        try:
            metric = registry.get(layer_id).metric(metric_code)
        except KeyError as exc:
            problems.extend(
                Problem(r, f"unknown metric: {exc.args[0]}", "metric") for r in _rows(pd.Series(rows))
            )
            continue
        out.loc[rows, "period"] = metric.period
        out.loc[rows, "feature_id"] = codes[rows].map(_feature_ids(layer_id))
        missing = pd.Series(rows) & out["feature_id"].isna().reset_index(drop=True)
        problems.extend(
            Problem(
                r,
                f"unknown reference: feature_code {codes.iloc[r - 1]!r} matches no feature "
                f"of layer {layer_id}",
                "feature_code",
            )
            for r in _rows(missing)
        )
    out["feature_id"] = out["feature_id"].astype(object)
    if "period" in long:
        wrong = (long["period"].astype(str) != out["period"].astype(str)).to_numpy()
        for index in np.flatnonzero(wrong & out["period"].notna().to_numpy()):
            problems.append(
                Problem(
                    int(index + 1),
                    f"bad value: period {long['period'].iloc[index]!r} "
                    f"but the metric is kept per {out['period'].iloc[index]}",
                    "period",
                )
            )
    for name in ("observed_at", "value"):
        field = Observation._meta.get_field(name)
        values, bad = converter_for(field)(long[name], field)
        bad |= values.isna().to_numpy()
        for index in np.flatnonzero(bad):
            problems.append(Problem(int(index + 1), f"bad value: {long[name].iloc[index]!r}", name))
        out[name] = values.to_numpy()
    return out


def import_observations(path: Path, options: ImportOptions, for_layer: str | None = None) -> Report:
    """Import a time-series table; all rows or none; upserts on (layer, metric, feature, time)."""
    report = Report(
        layer="observations", source=str(path), mode="upsert", started_at=timezone.now(), actor=options.actor
    )
    with recorded(report):
        source = read_source(path, options.source_layer)
        report.header_rows = source.header_rows
        frame = pd.DataFrame(source.frame.drop(columns="geometry", errors="ignore"))
        if options.mapping:
            frame = ColumnMapping.load(options.mapping).apply(frame, report.problems)
        report.rows_read = len(frame)
        long = _to_long(frame, for_layer)
        problems: list[Problem] = []
        out = _validate(long, problems)
        # a wide table's long rows go back to the rows of the sheet they came from
        report.problems.extend(replace(p, row=(p.row - 1) % len(frame) + 1) if p.row else p for p in problems)
        if report.problems:
            raise ImportRejected(report)
        out = out[KEY + ["value"]]
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('ioc.actor', %s, true)", [options.actor])
                numbers = list(range(1, len(out) + 1))
                report.counts.update(writer.upsert_rows(Observation._meta.db_table, out, KEY, numbers))
                report.rows_loaded = len(out)
                if options.dry_run:
                    transaction.set_rollback(True)
        except writer.WriteRejected as exc:
            report.problems.append(exc.problem)
            report.rows_loaded = 0
            raise ImportRejected(report) from exc
        report.status = "dry_run" if options.dry_run else "loaded"
    return report
