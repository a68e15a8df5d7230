"""System checks of the layer declarations (`ioc check`, and at every start): each error names the
layer and the field, as django.contrib.admin's checks name the admin class and the option."""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import IntegerField

from layers.hooks import HookError, load_hook
from layers.registry import CADENCES, KPI_KINDS, RENDERERS, WALL_PANELS, Kpi, Layer, registry

TIME_ROLES = ("event", "validity")
METRIC_PERIODS = ("hour", "day", "month")
METRIC_AGGREGATES = ("sum", "avg")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _error(layer: Layer, code: int, message: str, hint: str) -> checks.Error:
    return checks.Error(f"layer {layer.id!r}: {message}", hint=hint, obj=f"layers.catalog:{layer.id}",
                        id=f"layers.E{code:03d}")


def _named_fields(layer: Layer) -> dict[str, tuple[str, ...]]:
    """Every option of the declaration that names model fields, with the names it gives."""
    return {
        "public_fields": layer.public_fields, "restricted_fields": layer.restricted_fields,
        "edit_fields": layer.edit_fields, "key": layer.key, "filter": tuple(layer.filter),
        "lookups": tuple(layer.lookups), "time_field": (layer.time_field,) if layer.time_field else (),
        "geometry_field": (layer.geometry_field,), "style.by": (layer.style.by,) if layer.style.by else (),
        "style.always": layer.style.always,
    }


def _unknown_fields(layer: Layer, model: type) -> list[checks.Error]:
    errors = []
    for option, names in _named_fields(layer).items():
        for name in names:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(_error(
                    layer, 2, f"{option} names {name!r}, which is not a field of {layer.model}",
                    f"add the field to {layer.model} or remove {name!r} from {option}"))
    return errors


def _labels(layer: Layer) -> list[checks.Error]:
    return [
        _error(layer, 3, f"field {name!r} has no Vietnamese and English label",
               f"add labels={{{name!r}: (\"…\", \"…\")}} to the declaration (or a shared label to "
               "layers.labels.FIELD_LABELS)")
        for name in (*layer.public_fields, *layer.restricted_fields)
        if not layer.has_label(name)
    ]


def _vocabulary(layer: Layer, model: type) -> list[checks.Error]:
    style = layer.style
    if not style.by or style.vocabulary is None:
        return []
    try:
        field = model._meta.get_field(style.by)
    except FieldDoesNotExist:
        return []  # already reported as E002
    choices = tuple(code for code, _label in field.flatchoices)
    if choices and choices != style.vocabulary.codes:
        return [_error(
            layer, 4, f"style.vocabulary {style.vocabulary.name!r} lists {list(style.vocabulary.codes)} "
                      f"but field {style.by!r} has the choices {list(choices)}",
            f"give {layer.model}.{style.by} choices={style.vocabulary.name.upper()}.choices")]
    return []


def _values(layer: Layer) -> list[checks.Error]:
    errors = []
    if layer.time_role not in TIME_ROLES:
        errors.append(_error(layer, 5, f"time_role {layer.time_role!r} is unknown",
                             f"use one of {TIME_ROLES}"))
    if layer.geometry_type not in GEOMETRY_TYPES:
        errors.append(_error(layer, 6, f"geometry_type {layer.geometry_type!r} is not a geometry type",
                             f"use one of {GEOMETRY_TYPES}"))
    for metric in layer.metrics:
        if metric.period not in METRIC_PERIODS or metric.aggregate not in METRIC_AGGREGATES:
            errors.append(_error(
                layer, 7, f"metric {metric.code!r} has period {metric.period!r} "
                          f"and aggregate {metric.aggregate!r}",
                f"periods: {METRIC_PERIODS}; aggregates: {METRIC_AGGREGATES}"))
    errors.extend(_workflow(layer))
    unreadable = sorted(set(layer.edit_fields) - set(layer.public_fields) - set(layer.restricted_fields))
    if unreadable:
        errors.append(_error(layer, 8, f"edit_fields {unreadable} are not readable fields of the layer",
                             "an editor must be able to read what they write: list them in public_fields"))
    return errors


def _workflow(layer: Layer) -> list[checks.Error]:
    workflow = layer.workflow
    if workflow is None:
        return [_error(layer, 9, "a deadline is declared without a workflow",
                       "declare workflow=Workflow(...): its closed statuses are never late")] \
            if layer.deadline is not None else []
    try:
        field = apps.get_model(layer.model)._meta.get_field(workflow.field)
    except FieldDoesNotExist:
        return [_error(layer, 9, f"a workflow is declared on {workflow.field!r}, which the model lacks",
                       "add a status field with choices, or remove the workflow")]
    choices = {code for code, _label in field.flatchoices}
    named = {*workflow.transitions, *(to for targets in workflow.transitions.values() for to in targets)}
    if unknown := sorted(named - choices):
        return [_error(layer, 9, f"workflow names statuses {unknown} that {workflow.field!r} does not have",
                       f"statuses: {sorted(choices)}")]
    if hasattr(field, "get_all_transitions"):  # a django-fsm field: its transitions are the workflow
        fsm: dict[str, set[str]] = {status: set() for status in workflow.transitions}
        for move in field.get_all_transitions(field.model):
            fsm.setdefault(move.source, set()).add(move.target)
        if fsm != {status: set(targets) for status, targets in workflow.transitions.items()}:
            return [_error(layer, 9, f"the workflow differs from the transitions of {workflow.field!r}",
                           "derive both from one table (layers.vocabularies.REPORT_MOVES)")]
    return []


def _kpi_errors(layer: Layer, model: type, kpi: Kpi) -> list[str]:
    """What is wrong with one KPI, each as a message."""
    if kpi.kind not in KPI_KINDS:
        return [f"has kind {kpi.kind!r}; use one of {KPI_KINDS}"]
    found = []
    if kpi.kind == "metric" and kpi.field not in {metric.code for metric in layer.metrics}:
        found.append(f"names metric {kpi.field!r}, which the layer's metrics do not declare")
    if kpi.kind in ("overdue", "on_time", "median_hours") and layer.deadline is None:
        found.append(f"is {kpi.kind} but the layer declares no deadline=Deadline(...)")
    if kpi.kind == "median_hours" and not layer.time_field:
        found.append("is median_hours but the layer has no time field to count from")
    if kpi.kind in ("sum", "mean") and not kpi.field:
        found.append(f"is a {kpi.kind} of no field: give field='...'")
    named = {"field": kpi.field if kpi.kind in ("sum", "mean") else None, "by": kpi.by}
    found += [f"{option} {name!r} is not a field of {layer.model}"
              for option, name in named.items() if name and not _has_field(model, name)]
    if kpi.statuses and (layer.workflow is None or set(kpi.statuses) - set(layer.workflow.statuses)):
        found.append(f"names statuses {list(kpi.statuses)} outside the layer's workflow")
    return found


def _kpis(layer: Layer, model: type) -> list[checks.Error]:
    """Each KPI has what it computes over (a field, a metric, a deadline, a coded field)."""
    errors = [_error(layer, 10, f"kpi {kpi.code!r} {message}", "see layers.registry.Kpi")
              for kpi in layer.kpis for message in _kpi_errors(layer, model, kpi)]
    if layer.deadline is not None:
        errors += [_error(layer, 10, f"deadline names {name!r}, which is not a field of {layer.model}",
                          "name the due and done time fields")
                   for name in (layer.deadline.due, layer.deadline.done) if not _has_field(model, name)]
    return errors


def _renderers(layer: Layer, model: type) -> list[checks.Error]:
    """Each renderer the style names exists and finds the fields it reads."""
    errors = []
    for name in layer.style.renderers:
        if name not in RENDERERS:
            errors.append(_error(layer, 12, f"style.renderers names {name!r}, which the map wall lacks",
                                 f"use some of {sorted(RENDERERS)}"))
            continue
        needed = RENDERERS[name] or layer.style.always[:1] or ("<an always field>",)
        errors += [_error(layer, 12, f"renderer {name!r} reads {field!r}, not a field of {layer.model}",
                          f"{name} needs the fields {list(needed)}")
                   for field in needed if not _has_field(model, field)]
    return errors


def _hooks(layer: Layer) -> list[checks.Error]:
    """The demo generator named by the declaration imports (loaded as pygeoapi loads plugins)."""
    if layer.demo is None:
        return []
    try:
        load_hook(layer.demo)
    except HookError as error:
        return [_error(layer, 11, f"demo {layer.demo!r} does not load: {error}",
                       "name an importable 'package.module:function'")]
    return []


def _unit_field(layer: Layer, model: type) -> list[checks.Error]:
    """The unit field names the foreign key to layers.ResponsibleUnit (what unit staff are limited by)."""
    if layer.unit_field is None:
        return []
    target = apps.get_model("layers", "ResponsibleUnit")
    try:
        field = model._meta.get_field(layer.unit_field)
    except FieldDoesNotExist:
        problem = "not a field of " + layer.model
    else:
        if field.many_to_one and field.related_model is target:
            return []
        problem = f"not a foreign key to {target._meta.label}"
    return [_error(layer, 13, f"unit_field {layer.unit_field!r} is {problem}",
                   "name the ForeignKey to layers.ResponsibleUnit that says who handles a feature, "
                   "or declare no unit_field")]


def _style_label(layer: Layer, model: type) -> list[checks.Error]:
    """A style's label template reads fields the layer has (what the map draws on each feature)."""
    from layers.search import template_fields

    unknown = [name for name in template_fields(layer.style.label or "") if not _has_field(model, name)]
    if not unknown:
        return []
    label = layer.style.label
    return [_error(layer, 16, f"style label {label!r} reads unknown field(s) {', '.join(unknown)}",
                   "write the label over the layer's own fields, e.g. '{sheet_no}/{parcel_no}'")]


def _cadence(layer: Layer) -> list[checks.Error]:
    if layer.cadence is None or layer.cadence in CADENCES:
        return []
    return [_error(layer, 17, f"cadence {layer.cadence!r} is not one of {', '.join(CADENCES)}",
                   "declare how often the data is confirmed current, or no cadence")]


def _panel(layer: Layer) -> list[checks.Error]:
    if layer.panel is None or layer.panel in WALL_PANELS:
        return []
    return [_error(layer, 14, f"panel {layer.panel!r} is not a side panel of the map wall",
                   f"declare one of {', '.join(WALL_PANELS)}, or no panel")]


def _panels_shared(layers: list[Layer]) -> list[checks.Error]:
    """A side panel works on one layer: two declaring it would leave the wall guessing."""
    seen: dict[str, Layer] = {}
    errors = []
    for layer in layers:
        if layer.panel is None:
            continue
        if (first := seen.setdefault(layer.panel, layer)) is not layer:
            errors.append(_error(layer, 15, f"panel {layer.panel!r} is declared by {first.id!r} already",
                                 "give the panel to one layer"))
    return errors


def _small_counts(layer: Layer, model: type) -> list[checks.Error]:
    """SmallCounts names whole-number fields of the model, rates of those counts, and is not what
    the map is styled by (a colour per value would give the hidden count away)."""
    small = layer.small_counts
    if small is None:
        return []
    problems = [f"{name!r} is not a whole-number field of {layer.model}" for name in small.fields
                if not isinstance(_field(model, name), IntegerField)]
    problems += [f"rate {rate!r} is not a field of {layer.model}" for rate in small.rates
                 if _field(model, rate) is None]
    problems += [f"rate {rate!r} is computed from {count!r}, which is not one of its fields"
                 for rate, count in small.rates.items() if count not in small.fields]
    if small.below < 2:
        problems.append(f"below={small.below} hides nothing (counts from 1 to below - 1 are hidden)")
    problems += [f"KPI {kpi.code!r} takes the {kpi.kind} of {kpi.field!r}, a hidden count: only a sum is "
                 f"hidden below {small.below}" for kpi in layer.kpis
                 if kpi.field and small.covers(kpi.field) and kpi.kind != "sum"]
    if layer.style.by and small.covers(layer.style.by):
        problems.append(f"the style is by {layer.style.by!r}, a hidden count: style by a class of it")
    return [_error(layer, 21, f"small_counts: {problem}", "fix SmallCounts(fields=…, rates=…, below=…)")
            for problem in problems]


def _field(model: type, name: str) -> object | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _has_field(model: type, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def layer_errors(layer: Layer) -> list[checks.Error]:
    """What is wrong with one declaration (empty when nothing is)."""
    try:
        model = apps.get_model(layer.model)
    except (LookupError, ValueError):
        return [_error(layer, 1, f"model {layer.model!r} does not exist", "give 'app_label.ModelName'")]
    return [*_unknown_fields(layer, model), *_labels(layer), *_vocabulary(layer, model), *_values(layer),
            *_kpis(layer, model), *_renderers(layer, model), *_hooks(layer), *_unit_field(layer, model),
            *_panel(layer), *_style_label(layer, model), *_cadence(layer), *_small_counts(layer, model)]


@checks.register(checks.Tags.models)
def check_layer_declarations(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Every registered layer's declaration (layers.catalog)."""
    return [*(error for layer in registry for error in layer_errors(layer)), *_panels_shared(list(registry))]
