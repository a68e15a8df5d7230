"""The import pipeline: read → map → check geometries → cast → resolve codes → write → report.

Every file is imported in one transaction: either all its rows load, or none do and the report
names each refused row and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from django.contrib.gis.db import models
from django.db import connection, transaction
from django.utils import timezone

from etl import geometry_checks, writer
from etl.casting import converter_for, describe_expected
from etl.errors import ImportRejected, MappingError
from etl.lookups import normalize, resolve
from etl.mapping import ColumnMapping
from etl.report import Problem, Report, recorded
from etl.sources import Source, read_source
from etl.targets import Target, get_target
from layers.communes import communes_at, day_of
from layers.models import AdminUnit, Detection
from layers.partitions import ensure_partitions
from layers.registry import registry
from spatial.crs import CRSError, parse_crs

logger = logging.getLogger(__name__)

MODES = ("append", "upsert", "replace")
# Columns a source may carry that the platform computes itself: accepted, then ignored.
DERIVED = {"id", "fid", "ogc_fid", "area_m2", "version", "created_at", "updated_at"}


@dataclass
class ImportOptions:
    layer: str
    mode: str = "append"
    crs: str | None = None
    mapping: Path | None = None
    dry_run: bool = False
    repair: bool = False
    source_layer: str | None = None
    actor: str = ""
    progress: Callable[[str], None] | None = None


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after a complete write."""


def import_file(path: Path, options: ImportOptions) -> Report:
    """Import one file into a layer, all-or-nothing; return the stored report or raise EtlError."""
    if options.mode not in MODES:
        raise MappingError(f"unknown mode {options.mode!r}; use one of {', '.join(MODES)}")
    report = Report(layer=options.layer, source=str(path), mode=options.mode,
                    started_at=timezone.now(), actor=options.actor)
    with recorded(report):
        target = get_target(options.layer)
        mapping = ColumnMapping.load(options.mapping) if options.mapping else ColumnMapping()
        source = read_source(path, options.source_layer)
        report.rows_read = len(source.frame)
        prepared = _prepare(source, target, mapping, options, report)
        _write(prepared, target, options, report)
    logger.info("imported %s into %s: %d rows in %.2f s", path, options.layer, report.rows_loaded,
                report.duration_s)
    return report


@dataclass
class Prepared:
    frame: pd.DataFrame  # model column names → values ready for COPY
    source: pd.DataFrame  # the mapped source rows, to resolve references to rows of the same file
    self_refs: list[tuple[models.ForeignKey, dict[str, str]]]


def _prepare(source: Source, target: Target, mapping: ColumnMapping, options: ImportOptions,
             report: Report) -> Prepared:
    frame = mapping.apply(source.frame)
    model = target.model
    fields = {f.name: f for f in model._meta.concrete_fields if not f.auto_created and f.name != "id"}
    _refuse_unknown_columns(frame, fields, target)
    problems: list[Problem] = report.problems
    out = pd.DataFrame(index=frame.index)
    if target.geometry_type:
        out["geom"] = _geometry_column(source, frame, target, mapping, options, report)
    _progress(options, f"{len(frame)} rows read; checking values")
    _cast_fields(frame, out, fields, target, problems)
    _check_required(out, fields, target, problems)
    self_refs = _resolve_lookups(frame, out, target, problems)
    _check_duplicates(out, target, options, problems)
    if problems:
        raise ImportRejected(report)
    return Prepared(out, frame, self_refs)


def _cast_fields(frame: pd.DataFrame, out: pd.DataFrame, fields: dict, target: Target,
                 problems: list[Problem]) -> None:
    """Convert each source column to its field's type; fill absent fields with their defaults."""
    for name, field in fields.items():
        if isinstance(field, models.ForeignKey) or name == "geom":
            continue
        if name in DERIVED and field.db_default is not models.NOT_PROVIDED:
            continue  # the database fills it (version, timestamps, server-side area)
        if name in frame.columns and name not in DERIVED:
            values, bad = converter_for(field)(frame[name], field)
            for index in np.flatnonzero(bad):
                problems.append(Problem(int(index + 1), f"bad value: {frame[name].iloc[index]!r} is not "
                                        f"{describe_expected(field)}", name))
            out[field.column] = values.to_numpy()
        elif name in target.defaults:
            out[field.column] = target.defaults[name]
        elif field.has_default():
            out[field.column] = field.get_default()
        elif field.null or field.blank:
            out[field.column] = None if field.null else ""
        else:
            problems.append(Problem(0, f"missing column: {name} is required ({describe_expected(field)})"))


def _refuse_unknown_columns(frame: pd.DataFrame, fields: dict, target: Target) -> None:
    known = set(fields) | DERIVED | {"geometry"}
    for spec in target.lookups.values():
        known |= set(spec.values())
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise MappingError(
            f"columns not in layer {target.name}: {unknown}; rename them to fields with a mapping "
            f"file (columns:) or drop them (ignore:). Fields: {sorted(set(fields) - {'geom'})}"
        )


def _geometry_column(source: Source, frame: pd.DataFrame, target: Target, mapping: ColumnMapping,
                     options: ImportOptions, report: Report) -> list[str | None]:
    if not source.has_geometry:
        raise MappingError(f"{source.path.name}: has no geometry, but layer {target.name} needs one "
                           "(for CSV: lon/lat columns or a WKT column)")
    crs_text = options.crs or mapping.crs
    try:
        declared = parse_crs(crs_text) if crs_text else source.crs
    except CRSError as exc:
        raise MappingError(str(exc)) from exc
    if declared is None and not source.declares_crs:
        declared = geometry_checks.WGS84  # tables carry no CRS: WGS 84 unless --crs says otherwise
        report.warnings.append("the table declares no CRS; coordinates read as WGS 84 (EPSG:4326)")
    geometries = np.asarray(frame.geometry.to_numpy(), dtype=object)
    crs = geometry_checks.check_crs(declared, geometries, source.path.name)
    if crs_text and source.crs is not None and not source.crs.equals(crs):
        report.warnings.append(f"the file declares {source.crs.name}; read as {crs.name} (--crs)")
    report.source_crs = crs.name
    geometries = geometry_checks.fix_vn2000_axes(geometries, crs, report.warnings)
    checked = geometry_checks.check_geometries(geometries, crs, target, options.repair,
                                               report.problems, report.warnings)
    return shapely.to_wkb(checked, hex=True, include_srid=False).tolist()


def _check_required(out: pd.DataFrame, fields: dict, target: Target, problems: list[Problem]) -> None:
    for name, field in fields.items():
        skip = isinstance(field, models.ForeignKey | models.GeometryField) or field.null
        if skip or field.column not in out:
            continue
        if field.blank and name not in target.key:
            continue
        blank = out[field.column].isna().to_numpy() | (out[field.column] == "").to_numpy()
        for index in np.flatnonzero(blank):
            problems.append(Problem(int(index + 1), f"missing value: {name} is required", name))


def _resolve_lookups(frame: pd.DataFrame, out: pd.DataFrame, target: Target,
                     problems: list[Problem]) -> list[tuple[models.ForeignKey, dict[str, str]]]:
    self_refs = []
    for name, spec in target.lookups.items():
        field = target.model._meta.get_field(name)
        placed = _placed(field, target, out)
        missing = [c for c in spec.values() if c not in frame.columns]
        if missing:
            if placed:
                out[field.column] = None
                _communes_from_geometry(out, target, field, problems)
                continue
            if not field.null or name in target.key:
                problems.append(Problem(0, f"missing column: {', '.join(missing)} (to find the {name})"))
            out[field.column] = None
            continue
        pending = None
        if field.related_model is target.model:  # e.g. a unit's parent in the same file
            self_refs.append((field, spec))
            pending = _own_keys(frame, spec)
        out[field.column] = resolve(frame, field, spec, problems, _dates(out), pending).to_numpy()
        if placed and field.null:
            _communes_from_geometry(out, target, field, problems)
    return self_refs


def _placed(field: models.ForeignKey, target: Target, out: pd.DataFrame) -> bool:
    """Whether `field` names the commune of a feature with a geometry: left out, it is the commune
    holding the feature (layers.communes), not a missing value."""
    return field.related_model is AdminUnit and target.model is not AdminUnit and "geom" in out


def _communes_from_geometry(out: pd.DataFrame, target: Target, field: models.ForeignKey,
                            problems: list[Problem]) -> None:
    """Fill the blank `field` of each row with the commune holding its geometry on its day: the
    local date of the layer's time field, or today without one."""
    blank = out[field.column].isna().to_numpy() & out["geom"].notna().to_numpy()
    if not blank.any():
        return
    rows = np.flatnonzero(blank)
    days = _days(out, target)
    found = communes_at(out["geom"].iloc[rows].tolist(), [days[i] for i in rows])
    column = out[field.column].astype(object).to_numpy()
    column[rows] = found
    out[field.column] = column
    if not field.null:
        for index, commune in zip(rows, found, strict=True):
            if commune is None:
                problems.append(Problem(int(index + 1), f"missing value: the geometry lies in no commune on "
                                        f"{days[index]}; give the {field.name} (its code)", field.name))


def _days(out: pd.DataFrame, target: Target) -> list[date]:
    """The local day of each row: of its time (the layer's time field) when it has one, else today."""
    layer = registry.get(target.name) if target.name in registry else None
    column = target.model._meta.get_field(layer.time_field).column if layer and layer.time_field else None
    if column is None or column not in out:
        return [day_of(None)] * len(out)
    return [day_of(None if value is None or pd.isna(value) else value) for value in out[column].tolist()]


def _own_keys(frame: pd.DataFrame, spec: dict[str, str]) -> set[tuple[str, ...]]:
    """The keys rows of this file will have once written (for references among themselves)."""
    columns = [frame[path].map(normalize) for path in spec]
    return set(zip(*columns, strict=True))


def _dates(out: pd.DataFrame) -> pd.Series | None:
    return out["valid_from"] if "valid_from" in out else None


def _check_duplicates(out: pd.DataFrame, target: Target, options: ImportOptions,
                      problems: list[Problem]) -> None:
    if not target.key:
        return
    columns = [target.model._meta.get_field(k).column for k in target.key]
    if any(c not in out for c in columns):
        return
    keys = out[columns].astype(str)
    duplicated = keys.duplicated(keep=False).to_numpy()
    first_rows: dict[tuple, int] = {}
    for index in np.flatnonzero(duplicated):
        key = tuple(keys.iloc[index])
        if key in first_rows:
            named = dict(zip(target.key, key, strict=True))
            problems.append(Problem(int(index + 1), f"duplicate key: {named} repeats row {first_rows[key]}"))
        else:
            first_rows[key] = int(index + 1)
    if options.mode == "append" and not any(c.startswith("_ref_") for c in out):
        existing = set(target.model._default_manager.values_list(*columns))
        existing = {tuple(str(v) for v in k) for k in existing}
        for index, key in enumerate(keys.itertuples(index=False, name=None), start=1):
            if key in existing:
                named = dict(zip(target.key, key, strict=True))
                problems.append(Problem(index, f"already in the database: {named}; "
                                        "use --mode upsert to update existing rows"))


def _write(prepared: Prepared, target: Target, options: ImportOptions, report: Report) -> None:
    frame = prepared.frame
    table = target.model._meta.db_table
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ioc.actor', %s, true)", [options.actor or ""])
            if options.mode == "replace":
                writer.delete_existing(target.model, target.defaults)
            if "observed_at" in frame and target.model is Detection:  # monthly partitions
                times = pd.to_datetime(frame["observed_at"], utc=True)
                ensure_partitions(times.min().to_pydatetime(), times.max().to_pydatetime())
            report.rows_loaded = _write_in_passes(prepared, target, options, table)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        report.status = "dry_run"
        return
    except writer.WriteRejected as exc:
        report.problems.append(exc.problem)
        report.rows_loaded = 0
        raise ImportRejected(report) from exc
    report.status = "loaded"


def _write_in_passes(prepared: Prepared, target: Target, options: ImportOptions, table: str) -> int:
    """Write all rows; rows referring to rows of the same file wait until those are written."""
    frame, source = prepared.frame, prepared.source
    remaining = np.ones(len(frame), dtype=bool)
    key = [target.model._meta.get_field(k).column for k in target.key]
    written = 0
    while remaining.any():
        ready = remaining.copy()
        for field, spec in prepared.self_refs:
            has_ref = (source[next(iter(spec.values()))].map(normalize) != "").to_numpy()
            ready &= ~(has_ref & frame[field.column].isna().to_numpy())
        if not ready.any():
            first = int(np.flatnonzero(remaining)[0]) + 1
            raise writer.WriteRejected(Problem(first, "unknown reference: the parent is missing or "
                                                      "the references form a cycle"))
        numbers = [int(i) + 1 for i in np.flatnonzero(ready)]
        progress = _row_progress(options, written, len(frame))
        if options.mode == "upsert" and key:
            written += writer.upsert_rows(table, frame.loc[ready], key, numbers, progress)
        else:
            written += writer.copy_rows(table, frame.loc[ready], numbers, progress)
        remaining &= ~ready
        for field, spec in prepared.self_refs if remaining.any() else ():
            rest = source.loc[remaining]
            ids = resolve(rest, field, spec, [], _dates(frame.loc[remaining]), _own_keys(rest, spec))
            frame.loc[remaining, field.column] = ids.to_numpy()
    return written


def _row_progress(options: ImportOptions, done: int, total: int) -> Callable[[int], None] | None:
    if options.progress is None:
        return None
    return lambda n: _progress(options, f"written {done + n:,}/{total:,} rows")


def _progress(options: ImportOptions, message: str) -> None:
    if options.progress:
        options.progress(message)
