"""A directive told outside through the real channels, as the platform does it (everything committed, the
notify queue's worker run in the test process): the unit's address gets the directive by e-mail when it is
issued; once late, it is escalated exactly once, however often the check runs, to the issuing leader and
the unit's head (aiosmtpd), and both steps reach a webhook receiver checking the signature and an MQTT
subscriber. The clock is injected: the directive lives in May 2024, before any demo directive, so the
check sees this one only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from receivers import wait_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2024, 5, 6, 9, 0, tzinfo=VN)  # a Monday; the directive is due two days later at 17:00
DUE = datetime(2024, 5, 8, 17, 0, tzinfo=VN)
SECRET = "directives-secret"


def _setup(receiver_url: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from directives.issuing import Order, issue
    from layers.models import ResponsibleUnit
    from notify.models import WebhookEndpoint
    from spatial.access import Viewer
    from spatial.roles import LEADER

    leader = get_user_model().objects.create_user("accept.lanhdao", email="lanhdao.accept@example.vn",
                                                  first_name="Lãnh đạo nghiệm thu")
    leader.groups.set([Group.objects.get(name=LEADER.code)])
    unit = ResponsibleUnit.objects.create(
        code="ACCEPT-UNIT", name="UBND nghiệm thu", unit_kind="commune", email="ubnd.accept@example.vn",
        head_email="chutich.accept@example.vn")
    endpoint = WebhookEndpoint.objects.create(name="accept-directives", url=receiver_url,
                                              event_types=["directives.*"], secret=SECRET)
    order = Order(units=(unit.pk,), title="Dọn dẹp bãi rác tự phát", due_at=DUE,
                  text="Yêu cầu xử lý dứt điểm trong tuần.", point=Point(104.9035, 21.689, srid=4326))
    (directive,) = issue(order, Viewer.of(leader), now=T0)
    return {"leader": leader.pk, "unit": unit.pk, "endpoint": endpoint.pk, "directive": directive.pk,
            "code": directive.code}


def _cleanup(made: dict) -> None:
    from django.contrib.auth import get_user_model

    from directives.models import Directive
    from layers.models import ResponsibleUnit

    Directive.objects.filter(pk=made["directive"]).delete()
    ResponsibleUnit.objects.filter(pk=made["unit"]).delete()
    get_user_model().objects.filter(pk=made["leader"]).delete()


def _check(moment: datetime) -> int:
    from directives.escalation import check_overdue

    return check_overdue(moment)


@pytest.mark.django_db(transaction=False)
def test_the_unit_hears_of_its_directive_and_a_late_one_is_escalated_once_through_every_channel(
        committed, run_jobs, notify_settings, smtp_server, receiver, subscriber, mqtt_url):
    from notify.models import Delivery
    from notify.signatures import verify

    notify_settings(mailbox=smtp_server, mqtt_url=mqtt_url)
    heard = subscriber("ioc/directives/#")
    made = committed(_setup, receiver.url)
    try:
        escalated = [committed(_check, moment) for moment in
                     (DUE - timedelta(minutes=1), DUE + timedelta(minutes=5), DUE + timedelta(minutes=5),
                      DUE + timedelta(days=2))]
        assert escalated == [0, 1, 0, 0]

        delivered = Delivery.objects.filter(event__payload__code=made["code"], status="delivered")
        run_jobs(until=lambda: delivered.count() == 7)  # issued: e-mail, webhook, MQTT; overdue: 2 e-mails

        posts = [r for r in receiver.requests if r.json()["data"]["code"] == made["code"]]
        assert [r.json()["type"] for r in posts] == ["directives.directive.issued",
                                                     "directives.directive.overdue"]
        assert all(verify(SECRET, r.headers["X-Ioc-Timestamp"], r.body, r.headers["X-Ioc-Signature"])
                   for r in posts)

        def mine() -> list:
            return [m for m in heard.messages if json.loads(m.payload)["data"]["code"] == made["code"]]

        wait_for(lambda: len(mine()) == 2, 5, "two MQTT messages")
        assert sorted(m.topic for m in mine()) == ["ioc/directives/directive/issued",
                                                   "ioc/directives/directive/overdue"]

        mails = [(to, message) for to, message in smtp_server.messages if made["code"] in message["Subject"]]
        assert sorted(to[0] for to, _message in mails) == [
            "chutich.accept@example.vn", "lanhdao.accept@example.vn", "ubnd.accept@example.vn"]
        issued = next(message for to, message in mails if to == ["ubnd.accept@example.vn"])
        body = issued.get_body(("plain",)).get_content()
        assert "Dọn dẹp bãi rác tự phát" in body and "17:00 08/05/2024" in body
        assert body.index("nhận chỉ đạo") < body.index("has been given directive")  # Vietnamese first
        overdue = next(message for to, message in mails if to == ["lanhdao.accept@example.vn"])
        assert "quá hạn" in overdue.get_body(("plain",)).get_content()
    finally:
        committed(_cleanup, made)
