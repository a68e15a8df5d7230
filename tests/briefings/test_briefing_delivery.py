"""Briefings leave the platform two ways: downloaded by leaders, operators and administrators from
/api/briefings/<kind>, and sent on a schedule to each subscriber, the PDF and the XLSX attached, through the
outbox to a real SMTP server, on the frozen clock of the job's scheduled time."""

from __future__ import annotations

import io

import openpyxl
import pytest
from briefing_data import MONTH, NOW, SUBSCRIBER

pytestmark = pytest.mark.django_db
PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(username: str):
    """A test client signed in as a demo account (sessions: no password hashing per request)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_leaders_operators_and_administrators_download_a_briefing(province, client):
    url = f"/api/briefings/monthly?area=B15&period={MONTH}"
    answer = signed_in("lanhdao").get(url)
    assert (answer.status_code, answer["Content-Type"]) == (200, PDF)
    assert answer["Content-Disposition"] == 'attachment; filename="bao-cao-thang-B15-2026-02.pdf"'
    assert answer.content.startswith(b"%PDF")
    answer = signed_in("vanhanh").get(f"{url}&format=xlsx")
    assert (answer.status_code, answer["Content-Type"]) == (200, XLSX)
    assert openpyxl.load_workbook(io.BytesIO(answer.content)).sheetnames[0] == "Số liệu"

    assert client.get(url).status_code == 401
    refused = signed_in("gis").get(url)
    assert refused.status_code == 403 and "lãnh đạo" in refused.json()["description"]


def test_a_wrong_parameter_is_named(province):
    leader = signed_in("lanhdao")

    def refusal(url: str) -> tuple[int, str]:
        answer = leader.get(url)
        return answer.status_code, answer.json()["description"]

    assert refusal("/api/briefings/daily?area=B15") == (
        400, "kind: «daily» không phải loại báo cáo (weekly, monthly)")
    assert refusal("/api/briefings/weekly?area=ZZZ&period=2026-W09")[0] == 404
    assert refusal("/api/briefings/weekly?area=B15&period=tuần trước&lang=en") == (
        400, "period: 'tuần trước' names no week (e.g. 2026-W09 or a day in it)")


def test_the_job_sends_each_subscriber_the_briefing_once_with_both_attachments(
    province, committed, run_jobs, notify_settings, smtp_server, settings
):
    from django.contrib.auth import get_user_model
    from procrastinate.contrib.django import app

    from briefings.models import Subscription
    from briefings.tasks import send_briefings_job
    from notify.models import Delivery

    assert any(p.task.name == "briefings_send" and p.cron == "0 0 * * *"
               for p in app.periodic_registry.periodic_tasks.values()), "every day at 07:00 in Vietnam"
    notify_settings(mailbox=smtp_server, mqtt_url="")
    settings.DEFAULT_FROM_EMAIL = "Toàn Cảnh <noreply@ioc.example.gov.vn>"
    def subscribe():
        from django.contrib.auth.models import Group

        user, _ = get_user_model().objects.get_or_create(username=SUBSCRIBER,
                                                         defaults={"email": "lanhdao.tinh@example.vn"})
        user.groups.add(Group.objects.get(name="leader"))
        Subscription.objects.create(user=user, area_code="B15", kind="weekly")
        Subscription.objects.create(user=user, area_code="B99", kind="monthly")  # an area that is no more
        return user

    leader = committed(subscribe)
    scheduled = int(NOW.timestamp())  # Monday 2 March 2026, 07:00: 2026-W09 has ended
    committed(send_briefings_job, timestamp=scheduled)
    committed(send_briefings_job, timestamp=scheduled)  # twice at the same time: sent once
    run_jobs(until=lambda: Delivery.objects.filter(target=leader.email, status="delivered").exists())

    ((recipients, message),) = smtp_server.messages
    assert recipients == [leader.email]
    assert message["Subject"].strip() == "[Toàn Cảnh] Báo cáo tuần 09/2026: Tỉnh Thử Nghiệm"
    assert "Phản ánh quá hạn: 3" in message.get_body(("plain",)).get_content()
    attached = {part.get_filename(): part for part in message.iter_attachments()}
    assert sorted(attached) == ["bao-cao-tuan-B15-2026-W09.pdf", "bao-cao-tuan-B15-2026-W09.xlsx"]
    assert attached["bao-cao-tuan-B15-2026-W09.pdf"].get_content_type() == PDF
    assert attached["bao-cao-tuan-B15-2026-W09.pdf"].get_content().startswith(b"%PDF")
    book = openpyxl.load_workbook(io.BytesIO(attached["bao-cao-tuan-B15-2026-W09.xlsx"].get_content()))
    figures = {row[0]: row[1] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True)}
    assert figures["Phản ánh tiếp nhận trong kỳ"] == 3


def test_a_subscription_names_an_area_and_a_reader_with_an_address(province):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from briefings.models import Subscription

    users = get_user_model().objects
    gis = users.get(username="gis")
    gis.email = "gis@example.vn"
    with pytest.raises(ValidationError) as refused:
        Subscription(user=gis, area_code="ZZZ", kind="weekly").full_clean()
    assert sorted(refused.value.message_dict) == ["area_code", "user"]
    assert "ZZZ" in refused.value.message_dict["area_code"][0]
    assert "lãnh đạo" in refused.value.message_dict["user"][0]
    leader = users.get(username="lanhdao")
    leader.email = "lanhdao@example.vn"
    Subscription(user=leader, area_code="B101", kind="monthly").full_clean()
