"""E-mail: after commit, a real SMTP server (aiosmtpd, on a free local port) receives one message per
recipient, in Vietnamese first and English second, plain text with an HTML alternative."""

from __future__ import annotations

import socket

import notify
from notify import Email

CONTEXT = {
    "code": "PA-2026-000123",
    "category": "Đèn đường hỏng",
    "status": "Đã giải quyết",
    "status_en": "Resolved",
    "response": "Đã thay bóng đèn & kiểm tra lại <tủ điện>.",
    "unit": "UBND phường Hải Châu",
    "case_url": "https://ioc.example.gov.vn/phan-anh/PA-2026-000123",
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_committed_event_mails_each_recipient_in_vietnamese_then_english(
    committed, run_jobs, notify_settings, smtp_server, settings
):
    from notify.models import Delivery

    notify_settings(mailbox=smtp_server, mqtt_url="")
    settings.DEFAULT_FROM_EMAIL = "Toàn Cảnh <noreply@ioc.example.gov.vn>"
    citizens = Email(to=["dan@example.vn", "ban.cua.dan@example.vn"], template="feedback_status",
                     context=CONTEXT)
    event = committed(notify.publish, "feedback.report.resolved",
                      {"code": CONTEXT["code"], "status": "resolved"}, emails=[citizens])
    assert smtp_server.messages == []

    run_jobs(until=lambda: Delivery.objects.filter(event=event, status="delivered").count() == 2)

    assert sorted(recipients for recipients, _ in smtp_server.messages) == [["ban.cua.dan@example.vn"],
                                                                           ["dan@example.vn"]]
    for recipients, message in smtp_server.messages:
        assert message["To"] == recipients[0], "one citizen never sees another's address"
        assert message["From"] == "Toàn Cảnh <noreply@ioc.example.gov.vn>"
        # Django folds a long encoded subject after "Subject:"; the parser keeps the fold's space
        assert message["Subject"].strip() == "[Toàn Cảnh] Phản ánh PA-2026-000123: Đã giải quyết / Resolved"
        assert message["X-Ioc-Event"] == "feedback.report.resolved"
        assert message["X-Ioc-Delivery"] == str(event.id)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        vietnamese, english = text.index("Phản ánh của bạn"), text.index("Your report")
        assert vietnamese < english
        assert "Đã thay bóng đèn & kiểm tra lại <tủ điện>." in text, "plain text is not HTML-escaped"
        assert "Đã thay bóng đèn &amp; kiểm tra lại &lt;tủ điện&gt;." in html, "HTML is escaped"
        assert CONTEXT["case_url"] in text and CONTEXT["case_url"] in html
        assert html.index("Phản ánh của bạn") < html.index("Your report")

    delivery = Delivery.objects.filter(event=event).first()
    assert (delivery.channel, delivery.attempts, delivery.last_status_code) == ("email", 1, 250)
    assert delivery.message["subject"] == "[Toàn Cảnh] Phản ánh PA-2026-000123: Đã giải quyết / Resolved"


def test_an_unreachable_mail_relay_is_recorded_as_failed(committed, run_jobs, notify_settings, smtp_server):
    from notify.models import Delivery

    smtp_server.port = closed_port()  # nobody listens there
    notify_settings(mailbox=smtp_server, mqtt_url="", attempts=1)
    event = committed(notify.publish, "feedback.report.assigned", {"code": "PA-9"},
                      emails=[Email(to="can.bo@example.vn", template="event")])

    run_jobs(until=lambda: Delivery.objects.filter(event=event, status="failed").exists())

    delivery = Delivery.objects.get(event=event)
    assert (delivery.attempts, delivery.delivered_at) == (1, None)
    assert "refused" in delivery.last_error.lower()
