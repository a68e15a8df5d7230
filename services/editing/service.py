"""Writes with optimistic concurrency: every write names the version it edits (If-Match).

Each write runs in one transaction: lock the row, compare versions (a stale version gets 412 with
the current one, never an overwrite), check permissions against the old and the new ward, validate,
save. The database triggers then bump the version, recompute the area and record the history, with
the editor's name as actor. A dry run (Editor(..., dry_run=True)) does all of that but the commit,
and answers what the edit would do (services.editing.impact).

Refusals are services.editing.errors: Vietnamese (English under ?lang=en), 403 for what the viewer may
not do, 400/409 for what is wrong with the data, naming the ward by its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Model
from django_fsm import FSMFieldMixin, TransitionNotAllowed

from feedback.workflow import move_to
from layers.registry import Layer
from services.editing import validation
from services.editing.errors import InvalidEdit, NotPermitted
from services.editing.geojson import read_geometry
from services.editing.impact import Impact, impact
from services.ogc import features
from spatial.access import Viewer
from spatial.database_health import StatementTimeout, statement_timed_out
from spatial.errors import (
    BadRequest,
    Forbidden,
    IocError,
    NotAuthenticated,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from spatial.params import whole_number

ABSENT = object()  # a property the document does not send
OPERATIONS_VI = {"create": "tạo", "replace": "thay", "update": "sửa", "delete": "xoá"}


@dataclass
class Written:
    """The feature as stored after a write, for the response."""

    feature: dict | None
    version: int | None
    impact: Impact | None = None  # what the edit does (a dry run answers only this)

    @property
    def etag(self) -> str | None:
        return None if self.version is None else etag_of(self.version)


def etag_of(version: int) -> str:
    """The ETag of a feature version."""
    return f'"{version}"'


def parse_if_match(header: str | None) -> int:
    """The version an If-Match header names; 428 when absent (writes must say what they edit)."""
    if not header:
        raise PreconditionRequired('hãy gửi If-Match với ETag đã đọc (ví dụ If-Match: "3")',
                                   'send If-Match with the ETag you read (e.g. If-Match: "3")')
    version = whole_number(header.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise InvalidEdit(f'If-Match: {header!r} không phải ETag của một phiên bản, ví dụ "3"',
                          f'If-Match: {header!r} is not a version ETag such as "3"')
    return version


class Editor:
    """Writes to one layer on behalf of one viewer."""

    def __init__(self, layer: Layer, viewer: Viewer, dry_run: bool = False) -> None:
        if not viewer.can_edit(layer):
            if viewer.is_anonymous:
                raise NotAuthenticated(f"cần đăng nhập để sửa lớp «{layer.title_vi}»",
                                       f"sign in to edit {layer.title_en!r} ({layer.id})")
            raise NotPermitted(f"Tài khoản của bạn không có quyền sửa lớp {layer.title_vi}",
                               f"your roles do not allow editing {layer.title_en} ({layer.id})")
        self.layer, self.viewer, self.model, self.dry_run = layer, viewer, layer.model_class, dry_run

    def require(self, *operations: str) -> None:
        """Refuse (403) unless this viewer may do every one of `operations` on the layer."""
        refused = [op for op in operations if not self.viewer.can_write(self.layer, op)]
        if refused:
            allowed = [op for op in self.layer.edit_operations if self.viewer.can_write(self.layer, op)]
            fields = ", ".join(self.layer.writable_fields)
            raise NotPermitted(
                f"Tài khoản của bạn không có quyền {' hay '.join(OPERATIONS_VI[op] for op in refused)} "
                f"đối tượng "
                f"của lớp {self.layer.title_vi}; chỉ được "
                f"{' và '.join(OPERATIONS_VI[op] for op in allowed) or 'xem'}"
                f" ({fields})",
                f"your roles may not {' or '.join(refused)} features of {self.layer.id}; "
                f"they may {' and '.join(allowed) or 'not write'} ({fields})"
            )

    # -- the operations ---------------------------------------------------------------------------
    def create(self, document: dict, crs: object) -> Written:
        self.require("create")
        with self._transaction():
            instance = self.model(**self.layer.filter)
            self._apply(instance, document, crs, require_geometry=True)
            if self.dry_run:
                return Written(None, None, impact(self.layer, instance, None))
            instance.save()
        return self._written(instance.pk)

    def replace(self, fid: str, document: dict, crs: object, if_match: str | None) -> Written:
        self.require("replace")
        with self._transaction():
            instance = self._locked(fid, if_match)
            fresh = self.model(pk=instance.pk, **self.layer.filter)
            fresh._state.adding = False  # the same row: uniqueness checks must not count it twice
            for name in self.layer.writable_fields:  # PUT: what is not sent is reset to its default
                field = self.model._meta.get_field(name)
                setattr(fresh, field.attname, getattr(self.model(), field.attname))
            for name in ("version", "created_at"):
                setattr(fresh, name, getattr(instance, name))
            self._apply(fresh, document, crs, require_geometry=True, before=instance)
            if self.dry_run:
                return Written(None, instance.version, impact(self.layer, fresh, instance))
            fresh.save()
        return self._written(instance.pk)

    def patch(self, fid: str, document: dict, crs: object, if_match: str | None) -> Written:
        self.require("update")
        with self._transaction():
            instance = self._locked(fid, if_match)
            before = self.model.objects.get(pk=instance.pk)
            self._apply(instance, document, crs, require_geometry=False, before=before)
            if self.dry_run:
                return Written(None, before.version, impact(self.layer, instance, before))
            instance.save()
        return self._written(instance.pk)

    def delete(self, fid: str, if_match: str | None) -> None:
        self.require("delete")
        with self._transaction():
            instance = self._locked(fid, if_match)
            self._check_ward(getattr(instance, "ward_id", None))
            instance.delete()

    # -- shared steps -----------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction whose history rows name this editor, under the write time limit."""
        limit = settings.CONFIG.write_timeout_ms
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('ioc.actor', %s, true), "
                                   "set_config('statement_timeout', %s, true)",
                                   [f"user:{self.viewer.username}", str(limit)])
                try:
                    yield
                finally:
                    if self.dry_run:  # nothing a dry run did stays
                        transaction.set_rollback(True)
        except OperationalError as exc:
            if statement_timed_out(exc):
                raise StatementTimeout(limit, "the edit; try again later, or edit fewer features") from None
            raise

    def _locked(self, fid: str, if_match: str | None, gone: type[IocError] = NotFound) -> Model:
        """The feature, locked for this transaction, at the version If-Match names (else 412);
        `gone` is raised when it does not exist (a merge that lost a race: 412)."""
        version = parse_if_match(if_match)
        if (pk := whole_number(str(fid))) is None:
            raise NotFound(f"no feature {fid!r} in {self.layer.id}: ids are whole numbers")
        rows = self.viewer.scoped(self.layer, self.layer.queryset())  # another unit's: as if deleted
        instance = rows.select_for_update().filter(pk=pk).first()
        if instance is None:
            raise gone(f"no feature {fid} in {self.layer.id} (now): it was deleted, merged or split, "
                       "or never existed; reload and try again")
        self._check_ward(getattr(instance, "ward_id", None))  # whether they may, before which version
        if instance.version != version:
            raise StaleVersion(self, instance.pk, instance.version, version)
        return instance

    def _check_ward(self, ward_id: int | None) -> None:
        """403 naming the ward (by its name) unless this viewer may write features lying in it."""
        if self.viewer.can_edit_in_ward(self.layer, ward_id):
            return
        units = self.model._meta.get_field("ward").related_model._default_manager
        name = units.filter(pk=ward_id).values_list("name", flat=True).first() or "?"
        yours = ", ".join(units.filter(pk__in=self.viewer.ward_ids).order_by("name")
                          .values_list("name", flat=True))
        raise NotPermitted(
            f"Bạn không có quyền sửa {self.layer.title_vi.lower()} ở phường/xã {name}: tài khoản của bạn chỉ "
            f"được sửa trong địa bàn được giao ({yours or 'chưa được giao phường/xã nào'})",
            f"you may not edit {self.layer.title_en.lower()} in {name}: your account may edit only inside "
            f"its assigned wards ({yours or 'none assigned'})",
            ward=name)

    def _apply(
        self,
        instance: Model,
        document: dict,
        crs: object,
        require_geometry: bool,
        before: Model | None = None,
    ) -> None:
        if before is not None:
            self._check_ward(getattr(before, "ward_id", None))
        properties = dict(document.get("properties") or {})
        sent_ward = properties.pop("ward", ABSENT) if self.layer.editor.ward_from_shape else ABSENT
        validation.set_properties(instance, self.layer, properties)
        self._check_unit(instance, before)
        self._check_workflow(instance, properties, before, str(document.get("note") or ""))
        reference = validation.sent_ward(sent_ward) if sent_ward is not ABSENT else None
        if "geometry" in document and document["geometry"] is not None:
            if not self.layer.geometry_editable:
                raise InvalidEdit(f"geometry: không sửa được hình thể của lớp {self.layer.title_vi} ở đây",
                                  f"the geometry of {self.layer.id} cannot be edited here")
            validation.set_geometry(instance, self.layer, read_geometry(document["geometry"], crs))
            if self.layer.editor.ward_from_shape:  # the ward follows the shape, in its stored structure
                stored = getattr(before, "ward_id", None)
                validation.set_ward_of_shape(instance, self.layer, stored or reference)
            self._check_shape_in_wards(instance, before)
        elif require_geometry:
            raise InvalidEdit("geometry: cần gửi hình thể", "geometry is required")
        if reference is not None and reference != instance.ward_id:
            self._check_ward(reference)  # a ward not theirs: a permission problem first
            raise InvalidEdit(
                f"ward: phường/xã đi theo hình thể; hình thể nằm ở {validation.ward_name(instance)}, "
                f"không phải "
                f"{validation.unit_name(instance, reference)}. Muốn đổi phường/xã, hãy di chuyển hình thể",
                f"ward: the ward follows the shape, which lies in {validation.ward_name(instance)}, not "
                f"{validation.unit_name(instance, reference)}; to change the ward, move the shape",
                ward=validation.ward_name(instance))
        self._check_ward(getattr(instance, "ward_id", None))
        validation.full_clean(instance)
        reshaped = before is None or "geometry" in document or instance.ward_id != before.ward_id \
            if self.layer.cadastral else False
        if reshaped:  # an attribute-only edit does not re-judge the stored shape
            validation.check_parcel_geometry(instance)

    def _check_shape_in_wards(self, instance: Model, before: Model | None) -> None:
        """spatial.access's check that the shape stays in the viewer's wards, its refusal ("vi / en",
        as the core words it) split into the two languages."""
        try:
            self.viewer.check_shape_in_wards(self.layer, getattr(instance, self.layer.geometry_field),
                                             getattr(before, self.layer.geometry_field, None))
        except Forbidden as exc:
            vi, _, en = str(exc).partition(" / ")
            raise NotPermitted(vi, f"{vi.split(':')[0]}: {en}" if en else vi) from None

    def _check_unit(self, instance: Model, before: Model | None) -> None:
        """A viewer limited to some units (unit staff) keeps a feature in its unit and writes none for
        a unit not theirs: handing features to units is the operators' (403 naming the field)."""
        scope = self.viewer.unit_scope(self.layer)
        if scope is None:
            return
        attname = self.model._meta.get_field(self.layer.unit_field).attname
        unit = getattr(instance, attname)
        if unit not in scope or (before is not None and unit != getattr(before, attname)):
            raise NotPermitted(f"{self.layer.unit_field}: cán bộ xử lý không giao hay chuyển phản ánh sang "
                               "đơn vị khác (điều hành viên giao và chuyển)",
                               f"{self.layer.unit_field}: unit staff may not hand a feature of "
                               f"{self.layer.id} "
                               "to another unit (operators assign and reassign)")

    def _check_move(self, field: FSMFieldMixin, old: str, new: str, unit_written: bool) -> None:
        """The move from `old` to `new` is one this viewer may run (Viewer.can_move: unit staff neither
        assign nor reassign, nor reopen): 403 naming the move."""
        workflow = self.layer.workflow
        if old == new and not unit_written:
            return  # no move
        moves = [t for t in field.get_all_transitions(self.model) if t.source == old and t.target == new]
        refused = [t.name for t in moves
                   if not self.viewer.can_move(self.layer, old, hands_over=bool(t.custom.get("unit")))]
        if refused:
            raise NotPermitted(f"{workflow.field}: cán bộ xử lý không được {refused[0]} phản ánh; cán "
                               f"bộ bắt đầu "
                               "xử lý, hỏi công dân, giải quyết và từ chối phản ánh của đơn vị mình",
                               f"{workflow.field}: unit staff may not {refused[0]} a feature of "
                               f"{self.layer.id}: "
                               "they start, ask the citizen, resolve and reject their units' reports")

    def _check_workflow(self, instance: Model, properties: dict, before: Model | None,
                        note: str = "") -> None:
        """A status moves only along the layer's workflow, and only by whom it names; on a django-fsm
        status the change runs the matching transition (logged with this user and `note`, the
        document's public text), and so does a unit change (assign, reassign)."""
        workflow = self.layer.workflow
        if workflow is None or before is None:
            return
        field = self.model._meta.get_field(workflow.field)
        fsm = isinstance(field, FSMFieldMixin)
        if workflow.field not in properties and not (fsm and "unit" in properties):
            return
        old, new = getattr(before, workflow.field), getattr(instance, workflow.field)
        if old == new and not fsm:
            return
        if workflow.roles and not (self.viewer.is_admin or self.viewer.roles & set(workflow.roles)):
            raise NotPermitted(f"{workflow.field}: tài khoản của bạn không được chuyển trạng thái trong lớp "
                               f"{self.layer.title_vi}",
                               f"{workflow.field}: your roles do not allow moving a feature of "
                               f"{self.layer.id}")
        if fsm:
            self._check_move(field, old, new, "unit" in properties)
            try:
                move_to(instance, field, old, new, username=self.viewer.username, note=note,
                        unit_written="unit" in properties)
            except TransitionNotAllowed as exc:
                raise BadRequest(str(exc)) from None
            return
        if not workflow.allows(old, new):
            allowed = sorted(workflow.transitions.get(old, frozenset()))
            raise InvalidEdit(f"{workflow.field}: đối tượng của lớp {self.layer.title_vi} đang ở trạng "
                              f"thái {old} "
                              f"chỉ chuyển được sang {allowed or 'không trạng thái nào'}",
                              f"{workflow.field}: a feature of {self.layer.id} that is {old} may become "
                              f"{allowed or 'nothing'}")

    def _written(self, pk: int) -> Written:
        return Written(
            self.current(pk), self.model.objects.filter(pk=pk).values_list("version", flat=True).first()
        )

    def current(self, pk: int) -> dict | None:
        """The stored feature as this viewer may read it (as the OGC items route writes it)."""
        return features.feature(self.layer, self.viewer.readable_fields(self.layer), pk)


class StaleVersion(PreconditionFailed):
    """The write named an old version: 412 with the current feature and its ETag."""

    def __init__(self, editor: Editor, pk: int, current: int, sent: int) -> None:
        super().__init__(
            f"feature {pk} is at version {current}, not {sent}: someone saved first; "
            "reload it, reapply your change and send If-Match with the new ETag"
        )
        self.extra = {"current": editor.current(pk)}
        self.headers = {"ETag": etag_of(current)}
