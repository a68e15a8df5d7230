"""The import pipeline: read → map → check geometries → cast → resolve codes → check the rules
the editing API checks (wards, the cadastre's) → write → report.

Every file is imported in one transaction: either all its rows load, or none do and the report
names each refused row and why; with `load_valid` the valid rows load and the refused ones are
returned (ImportOptions.refused_path). The engine is called the same way by `ioc import` and by
anything else (import_file returns the Report, with its counts).
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

from etl import geometry_checks, month_load, places, writer
from etl.casting import converter_for, describe_expected
from etl.errors import ImportRejected, MappingError
from etl.lookups import normalized, resolve
from etl.mapping import ColumnMapping
from etl.options import MODES, ImportOptions
from etl.refused import refused_rows, write_refused
from etl.report import Problem, Report, recorded, shown
from etl.sources import Source, read_source
from etl.stored_keys import stored_near
from etl.targets import Target, get_target
from etl.ward_rules import declared_ward_misses
from etl.zone_check import zone_warning
from layers import cadastre
from layers.communes import day_of
from layers.models import AdminUnit, Detection
from layers.partitions import ensure_partitions
from layers.registry import registry
from spatial.crs import CRSError, parse_crs

logger = logging.getLogger(__name__)

# Columns a source may carry that the platform computes itself: accepted, then ignored.
DERIVED = {"id", "fid", "ogc_fid", "area_m2", "version", "created_at", "updated_at"}


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
        report.header_rows = source.header_rows
        prepared = _prepare(source, target, mapping, options, report)
        try:
            _write(prepared, target, options, report)
        finally:
            _return_refused(source, options, report)
    logger.info("imported %s into %s: %d rows in %.2f s", path, options.layer, report.rows_loaded,
                report.duration_s)
    return report


@dataclass
class Prepared:
    frame: pd.DataFrame  # model column names → values ready for COPY
    source: pd.DataFrame  # the mapped source rows, to resolve references to rows of the same file
    self_refs: list[tuple[models.ForeignKey, dict[str, str]]]


def _return_refused(source: Source, options: ImportOptions, report: Report) -> None:
    """Write the refused rows with their reasons where the options ask (also for a refused import)."""
    reasons: dict[int, list[str]] = {}
    for problem in report.problems:
        if problem.row:
            said = problem.message.startswith(problem.column)
            reasons.setdefault(problem.row, []).append(
                f"{problem.column}: {problem.message}" if problem.column and not said else problem.message)
    if options.refused_path is not None and reasons:
        write_refused(refused_rows(source.frame, reasons, report.header_rows), options.refused_path)
        report.refused_file = str(options.refused_path)


def _prepare(source: Source, target: Target, mapping: ColumnMapping, options: ImportOptions,
             report: Report) -> Prepared:
    report.problems.extend(source.problems)
    frame = mapping.apply(source.frame, report.problems)
    model = target.model
    fields = {f.name: f for f in model._meta.concrete_fields if not f.auto_created and f.name != "id"}
    _refuse_unknown_columns(frame, fields, target)
    problems: list[Problem] = report.problems
    out = pd.DataFrame(index=frame.index)
    if target.geometry_type:
        out["geom"] = _geometry_column(source, frame, target, mapping, options, report)
    _progress(options, f"{len(frame)} rows read; checking values")
    early = {p.row for p in problems}  # rows whose computed or coordinate values could not be read
    _cast_fields(frame, out, fields, target, problems)
    _check_required(out, fields, target, problems, early)
    self_refs = _resolve_lookups(frame, out, target, problems)
    if options.place_rules:
        _check_declared_wards(frame, out, target, problems)
    if options.row_rules is not None:
        problems.extend(options.row_rules(out, target))
    _check_duplicates(out, target, options, problems)
    if problems and not options.load_valid and not (target.cadastral and options.place_rules):
        raise ImportRejected(report)  # (a cadastre's rules are judged first, in the transaction)
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
                problems.append(Problem(int(index + 1), f"bad value: {shown(frame[name].iloc[index])} is not "
                                        f"{describe_expected(field)}", name))
            values = _in_range(values, field, name, problems)
            # (times stay times: as objects they cost seconds a million rows)
            timed = isinstance(values.dtype, pd.DatetimeTZDtype)
            out[field.column] = values.array if timed else values.to_numpy()
        elif name in target.defaults:
            out[field.column] = target.defaults[name]
        elif field.has_default():
            out[field.column] = field.get_default()
        elif field.null or field.blank:
            out[field.column] = None if field.null else ""
        else:
            problems.append(Problem(0, f"missing column: {name} is required ({describe_expected(field)})"))


def _in_range(values: pd.Series, field: models.Field, name: str, problems: list[Problem]) -> pd.Series:
    """Whole numbers outside their column's range are refused as the editing API refuses them."""
    if not isinstance(field, models.IntegerField):
        return values
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    numbers = pd.to_numeric(values, errors="coerce")
    outside = ((numbers < low) if low is not None else False) \
        | ((numbers > high) if high is not None else False)
    outside = np.asarray(outside, dtype=bool)
    for index in np.flatnonzero(outside):
        problems.append(Problem(int(index + 1), f"bad value: {values.iloc[index]} is out of range "
                                f"({low} to {high})", name))
    return values


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
    places = geometries[~shapely.is_missing(geometries) & shapely.is_valid(geometries)]
    if crs.is_projected and "VN-2000" in crs.name and len(places):
        warning = zone_warning(shapely.point_on_surface(places), crs, crs_text)
        if warning:
            report.warnings.append(warning)
    explained = {p.row for p in source.problems if p.row}
    checked = geometry_checks.check_geometries(geometries, crs, target, options.repair,
                                               report.problems, report.warnings, explained)
    return shapely.to_wkb(checked, hex=True, include_srid=False).tolist()


def _check_required(out: pd.DataFrame, fields: dict, target: Target, problems: list[Problem],
                    explained: set[int]) -> None:
    for name, field in fields.items():
        skip = isinstance(field, models.ForeignKey | models.GeometryField) or field.null
        if skip or field.column not in out:
            continue
        if field.blank and name not in target.key:
            continue
        blank = out[field.column].isna().to_numpy() | (out[field.column] == "").to_numpy()
        for index in np.flatnonzero(blank):
            if int(index + 1) not in explained:
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
        out[field.column] = resolve(frame, field, spec, problems, _dates(out), pending,
                                    blank_ok=placed).to_numpy()
        if placed:
            _communes_from_geometry(out, target, field, problems)
    return self_refs


def _check_declared_wards(frame: pd.DataFrame, out: pd.DataFrame, target: Target,
                          problems: list[Problem]) -> None:
    """A ward the file declares (or a mapping's default) must hold the point; a cadastre's parcels
    are judged by the cadastre's inside-ward rule instead (with its tolerance), and other shapes (a
    zone, a road) may span communes, their ward naming the main one."""
    if target.cadastral or target.geometry_type not in ("Point", "MultiPoint"):
        return
    for name, spec in target.lookups.items():
        field = target.model._meta.get_field(name)
        if not _placed(field, target, out) or any(c not in frame.columns for c in spec.values()):
            continue
        column = next(iter(spec.values()))
        declared = (normalized(frame[column]) != "") & out[field.column].notna().to_numpy() \
            & out["geom"].notna().to_numpy()
        rows = np.flatnonzero(declared)
        days = _days(out, target)
        misses = declared_ward_misses(out["geom"].iloc[rows].tolist(),
                                      [int(v) for v in out[field.column].iloc[rows]], [days[i] for i in rows])
        for position, message in misses.items():
            problems.append(Problem(int(rows[position] + 1), message, column))


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
    found = places.communes_of(out["geom"].iloc[rows].tolist(), [days[i] for i in rows])
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
    local = _local_days(out[column])
    if local is not None:
        return local
    return [day_of(None if value is None or pd.isna(value) else value) for value in out[column].tolist()]


def _local_days(values: pd.Series) -> list[date] | None:
    """day_of for a column of aware times, all at once (None when they are not all aware times)."""
    try:
        moments = pd.to_datetime(values)
    except (TypeError, ValueError):
        return None
    if not isinstance(moments.dtype, pd.DatetimeTZDtype):
        return None
    days = np.asarray(moments.dt.tz_convert(timezone.get_current_timezone()).dt.date, dtype=object)
    days[moments.isna().to_numpy()] = day_of(None)
    return days.tolist()


def _own_keys(frame: pd.DataFrame, spec: dict[str, str]) -> set[tuple[str, ...]]:
    """The keys rows of this file will have once written (for references among themselves)."""
    columns = [normalized(frame[path]) for path in spec]
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
    shown_keys = _shown_keys(out, target)
    duplicated = keys.duplicated(keep=False).to_numpy()
    first_rows: dict[tuple, int] = {}
    for index in np.flatnonzero(duplicated):
        key = tuple(keys.iloc[index])
        if key in first_rows:
            problems.append(Problem(int(index + 1), f"duplicate key: {shown_keys[index]} repeats row "
                                    f"{first_rows[key]}"))
        else:
            first_rows[key] = int(index + 1)
    if options.mode == "append" and not any(c.startswith("_ref_") for c in out):
        existing = set(stored_near(out, target).values_list(*columns))
        existing = {tuple(str(v) for v in k) for k in existing}
        for index, key in enumerate(keys.itertuples(index=False, name=None), start=1):
            if key in existing:
                problems.append(Problem(index, f"already in the database: {shown_keys[index - 1]}; "
                                        "use --mode upsert to update existing rows"))


def _shown_keys(out: pd.DataFrame, target: Target) -> list[dict[str, str]]:
    """Each row's natural key as people write it: a reference by its code (a ward's 04255), not by
    its internal id."""
    parts = []
    for name in target.key:
        field = target.model._meta.get_field(name)
        values = out[field.column]
        if field.is_relation and name in target.lookups:
            path = next(iter(target.lookups[name]))
            ids = {int(v) for v in values.dropna()}
            codes = dict(field.related_model._default_manager.filter(pk__in=ids).values_list("pk", path))
            values = values.map(lambda v, c=codes: c.get(int(v), v) if pd.notna(v) else v)
        parts.append(normalized(values).tolist())
    return [dict(zip(target.key, key, strict=True)) for key in zip(*parts, strict=True)]


def _write(prepared: Prepared, target: Target, options: ImportOptions, report: Report) -> None:
    """In one transaction: delete (replace), judge the cadastre's rules, then write the accepted rows
    (all, or with `load_valid` the valid ones); a dry run rolls back after the complete write."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ioc.actor', %s, true)", [options.actor or ""])
            if options.mode == "replace":
                deleted, cascaded = writer.delete_existing(target.model, target.defaults)
                report.counts["deleted"] = deleted
                _say_cascaded(target, deleted, cascaded, report)
            if target.cadastral and options.place_rules:
                _check_cadastre(prepared, target, options, report)
            if report.problems and not options.load_valid:
                raise ImportRejected(report)
            _keep_valid(prepared, report)
            frame = prepared.frame
            new_months = target.model is Detection and month_load.applies(frame, options.mode)
            if len(frame) and "observed_at" in frame and target.model is Detection and not new_months:
                times = pd.to_datetime(frame["observed_at"], utc=True)  # monthly partitions
                ensure_partitions(times.min().to_pydatetime(), times.max().to_pydatetime())
            _write_valid(prepared, target, options, report, new_months)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        report.status = "dry_run"
        return
    except ImportRejected:
        _no_writes(report)
        raise
    except writer.WriteRejected as exc:
        report.problems.append(exc.problem)
        _no_writes(report)
        raise ImportRejected(report) from exc
    report.status = "loaded"


def _no_writes(report: Report) -> None:
    report.rows_loaded = 0
    for name in ("inserted", "updated", "unchanged", "deleted"):
        report.counts[name] = 0


def _say_cascaded(target: Target, deleted: int, cascaded: dict[str, int], report: Report) -> None:
    others = [f"{n:,} {_plural(label)}" for label, n in cascaded.items()
              if n and label != target.model._meta.label]
    if others:
        report.warnings.append(f"replace deletes {deleted:,} {target.name} and with them {', '.join(others)} "
                               "(they refer to them); use --mode upsert to keep them")


def _plural(label: str) -> str:
    from etl.targets import ATTRIBUTE_TABLES

    for name, table in ATTRIBUTE_TABLES.items():
        if table.model_label == label:
            return name.replace("_", " ")
    layers = [layer.id for layer in registry if layer.model == label]
    return layers[0] if layers else label


def _check_cadastre(prepared: Prepared, target: Target, options: ImportOptions, report: Report) -> None:
    """The cadastre's rules (layers.cadastre) for the rows that passed every other check: inside their
    ward, no overlap with stored parcels (those the file updates excepted) nor with earlier rows."""
    frame = prepared.frame
    refused = report.rejected_rows
    geoms = frame["geom"].to_numpy()
    rows = [i for i in np.flatnonzero(pd.notna(geoms)).tolist() if i + 1 not in refused]
    if not rows:
        return
    ward = target.model._meta.get_field("ward").column
    own = _stored_ids(frame.iloc[rows], target) if options.mode == "upsert" else [None] * len(rows)
    found = cadastre.breaches(target.model, frame["geom"].iloc[rows].tolist(),
                              [None if pd.isna(w) else int(w) for w in frame[ward].iloc[rows]], own,
                              [f"row {i + 1 + report.header_rows} of the file" for i in rows])
    for index, breach in zip(rows, found, strict=True):
        if breach is not None:
            report.problems.append(Problem(index + 1, breach.message, "geometry"))


def _stored_ids(frame: pd.DataFrame, target: Target) -> list[int | None]:
    """The id of the stored row each row of `frame` updates (same natural key), else None."""
    columns = [target.model._meta.get_field(k).column for k in target.key]
    attnames = [target.model._meta.get_field(k).attname for k in target.key]
    stored = {tuple(str(v) for v in key): pk for pk, *key in
              stored_near(frame, target).values_list("pk", *attnames)}
    keys = frame[columns].itertuples(index=False, name=None)
    return [stored.get(tuple(str(v) for v in key)) for key in keys]


def _keep_valid(prepared: Prepared, report: Report) -> None:
    """Drop the refused rows from what is written (load_valid); the index keeps file positions."""
    refused = report.rejected_rows
    if refused:
        keep = ~np.isin(prepared.frame.index.to_numpy() + 1, list(refused))
        prepared.frame = prepared.frame.loc[keep]
        prepared.source = prepared.source.loc[keep]


def _write_valid(prepared: Prepared, target: Target, options: ImportOptions, report: Report,
                 new_months: bool = False) -> None:
    """Write (detections of months not held yet: as new partitions, etl.month_load); with load_valid a
    row the database refuses is refused alone and the rest written."""
    while True:
        try:
            with transaction.atomic():
                counts = _write_in_passes(prepared, target, options, target.model._meta.db_table,
                                          new_months)
            break
        except writer.WriteRejected as exc:
            if not options.load_valid or not exc.problem.row:
                raise
            report.problems.append(exc.problem)
            _keep_valid(prepared, report)
    for name, value in counts.items():
        report.counts[name] += value
    report.rows_loaded = counts["inserted"] + counts["updated"] + counts["unchanged"]


def _write_in_passes(prepared: Prepared, target: Target, options: ImportOptions,
                     table: str, new_months: bool = False) -> dict[str, int]:
    """Write all rows; rows referring to rows of the same file wait until those are written."""
    frame, source = prepared.frame.copy(), prepared.source
    remaining = np.ones(len(frame), dtype=bool)
    key = [target.model._meta.get_field(k).column for k in target.key]
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    while remaining.any():
        ready = remaining.copy()
        for field, spec in prepared.self_refs:
            has_ref = normalized(source[next(iter(spec.values()))]) != ""
            ready &= ~(has_ref & frame[field.column].isna().to_numpy())
        if not ready.any():
            first = int(frame.index[np.flatnonzero(remaining)[0]]) + 1
            raise writer.WriteRejected(Problem(first, "unknown reference: the parent is missing or "
                                                      "the references form a cycle"))
        numbers = [int(i) + 1 for i in frame.index[ready]]
        done = sum(counts.values())
        progress = _row_progress(options, done, len(frame))
        if options.mode == "upsert" and key:
            for name, n in writer.upsert_rows(table, frame.loc[ready], key, numbers, progress).items():
                counts[name] += n
        elif new_months:
            counts["inserted"] += month_load.copy_months(frame.loc[ready], numbers, progress)
        else:
            counts["inserted"] += writer.copy_rows(table, frame.loc[ready], numbers, progress)
        remaining &= ~ready
        for field, spec in prepared.self_refs if remaining.any() else ():
            rest = source.loc[remaining]
            ids = resolve(rest, field, spec, [], _dates(frame.loc[remaining]), _own_keys(rest, spec))
            frame.loc[remaining, field.column] = ids.to_numpy()
    return counts


def _row_progress(options: ImportOptions, done: int, total: int) -> Callable[[int], None] | None:
    if options.progress is None:
        return None
    return lambda n: _progress(options, f"written {done + n:,}/{total:,} rows")


def _progress(options: ImportOptions, message: str) -> None:
    if options.progress:
        options.progress(message)
