"""The admin edits webhook endpoints (a blank secret is generated, patterns are checked), shows events
with their deliveries, and sends failed deliveries again on the queue."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection

import notify

pytestmark = pytest.mark.django_db


def test_an_endpoint_is_added_in_the_admin_with_a_generated_secret(admin_client):
    from notify.models import WebhookEndpoint

    page = admin_client.post("/admin/notify/webhookendpoint/add/", {
        "name": "sms-gateway", "url": "https://sms.example.gov.vn/ioc", "event_types": "feedback.*,alerts.*",
        "active": "on", "secret": "",
    })
    assert page.status_code == 302, page.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get(name="sms-gateway")
    assert endpoint.event_types == ["feedback.*", "alerts.*"] and len(endpoint.secret) >= 32


def test_a_pattern_that_is_not_a_dotted_name_is_refused(admin_client):
    page = admin_client.post("/admin/notify/webhookendpoint/add/", {
        "name": "bad", "url": "https://x.example.vn/", "event_types": "feedback/*", "active": "on",
    })
    assert page.status_code == 200 and "not a pattern: feedback/*" in page.content.decode()


def test_events_and_deliveries_are_listed_and_failed_ones_sent_again(admin_client, settings):
    from notify.models import Delivery, WebhookEndpoint

    settings.NOTIFY = dataclasses.replace(settings.NOTIFY, mqtt_url="")
    WebhookEndpoint.objects.create(name="gw", url="http://127.0.0.1:9/", event_types=["*"])
    event = notify.publish("alerts.flood.raised", {"station": "TQ-03"})
    delivery = Delivery.objects.get(event=event)
    delivery.status, delivery.attempts, delivery.last_error = "failed", 8, "HTTP 502 Bad Gateway"
    delivery.save()

    for url in ("/admin/notify/event/", f"/admin/notify/event/{event.id}/change/", "/admin/notify/delivery/",
                "/admin/notify/webhookendpoint/"):
        assert admin_client.get(url).status_code == 200, url
    event_page = admin_client.get(f"/admin/notify/event/{event.id}/change/").content.decode()
    assert "HTTP 502 Bad Gateway" in event_page

    page = admin_client.post("/admin/notify/delivery/",
                             {"action": "send_again", "_selected_action": [delivery.id]})
    assert page.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 8)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'notify'"
                       " AND status = 'todo' AND (args->>'delivery_id')::bigint = %s", [delivery.id])
        assert cursor.fetchone()[0] == 2  # the first job (not run in this test) and the one sent again
