"""Fixtures of the incident response tests: a test SOP (for a category the demo gives none), a clock
the tests set, and the API called as a demo account."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.utils import timezone
from response_calls import SOP_CATEGORY, START, Clock


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A frozen clock at START (every timezone.now() of the code and of Django reads it)."""
    frozen = Clock(START)
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def sop(db):
    """The SOP of infrastructure failures: an operator's step (5 min), the commune's committee (15 min,
    a checklist of three) and the provincial police, a unit named outright (30 min)."""
    from layers.models import ResponsibleUnit
    from response.models import Sop, SopStep

    procedure = Sop.objects.create(category=SOP_CATEGORY, title_vi="Quy trình sự cố hạ tầng",
                                   title_en="Infrastructure failure procedure")
    SopStep.objects.create(sop=procedure, number=1, title_vi="Xác minh tin báo", title_en="Verify the report",
                           role="operator", target_minutes=5)
    SopStep.objects.create(sop=procedure, number=2, title_vi="UBND phường cử người đến hiện trường",
                           title_en="The ward committee sends someone to the site", unit_kind="commune",
                           target_minutes=15,
                           checklist_vi="Rào chắn khu vực\nBáo điện lực\nChụp ảnh hiện trường",
                           checklist_en="Fence off the area\nCall the power company\nPhotograph the site")
    SopStep.objects.create(sop=procedure, number=3, title_vi="Công an phân luồng giao thông",
                           title_en="The police divert traffic",
                           unit=ResponsibleUnit.objects.get(code="CA"), target_minutes=30)
    return procedure


@pytest.fixture
def api(client, as_user) -> Callable:
    """api(method, path, body=None, user="vanhanh"): a call of /api/response/<path> as a demo account
    (user=None: anonymous); a JSON body for POST."""
    def call(method: str, path: str, body: dict | None = None, user: str | None = "vanhanh"):
        headers = as_user(user) if user else {}
        url = f"/api/response/{path}"
        if method == "GET":
            return client.get(url, body or {}, **headers)
        return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)

    return call

