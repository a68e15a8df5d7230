"""`ioc layers describe LAYER`: the fields an import file may carry, their types, whether required,
and their codes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from etl.describe import describe

pytestmark = pytest.mark.django_db


def test_describe_lists_fields_types_required_and_codes(capsys):
    fields = {f.name: f for f in describe("parcels")}
    assert (fields["ward_code"].required, fields["ward_code"].type) == (False, "a code from layer wards")
    assert "left blank: the commune holding the geometry" in fields["ward_code"].note
    assert fields["sheet_no"].required and fields["sheet_no"].type == "a whole number ≥ 0"
    assert ("ODT", "Đất ở tại đô thị / Urban residential land") in fields["land_use"].codes
    assert "area_m2" not in fields and "ward" not in fields
    call_command("layers", "describe", "schools")
    out = capsys.readouterr().out
    assert "school_level" in out and "mam_non  Mầm non / Pre-school" in out and "geometry  Point" in out
    with pytest.raises(CommandError, match="unknown layer 'school'"):
        call_command("layers", "describe", "school")
