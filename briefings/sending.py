"""Sending briefings to their subscribers: for each active subscription, the last period of its kind that
ended by the job's time is built once per area and sent once per subscriber, the PDF and the XLSX attached,
through notify's outbox (an event "briefings.briefing.sent" with one e-mail)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction

import notify
from briefings.access import may_read
from briefings.build import FIGURES, Briefing, build
from briefings.models import Dispatch, Subscription
from briefings.numbers import number
from briefings.pdf import render_pdf
from briefings.periods import KINDS, last_ended, local_zone
from briefings.views import FORMATS
from briefings.xlsx import render_xlsx
from notify import Attachment, Email
from spatial.access import Viewer
from spatial.errors import IocError

logger = logging.getLogger(__name__)


def _email(subscription: Subscription, briefing: Briefing, files: tuple[bytes, bytes]) -> Email:
    pdf, xlsx = files
    query = f"area={briefing.area.code}&period={briefing.period.label}"
    context = {
        "name": briefing.name_vi, "title": briefing.title_vi, "area": briefing.area.name,
        "figures": [(FIGURES[key][0], number(value)) for key, value in briefing.figures.items()],
        "figures_en": [(FIGURES[key][1], value) for key, value in briefing.figures.items()],
        "url": f"/api/briefings/{briefing.kind}?{query}",
    }
    return Email(to=subscription.user.email, template="briefing", context=context, attachments=(
        Attachment(briefing.filename("pdf"), pdf, FORMATS["pdf"][1]),
        Attachment(briefing.filename("xlsx"), xlsx, FORMATS["xlsx"][1]),
    ))


def send_due(now: datetime) -> int:
    """Send every active subscription its briefing of the last period ended by `now`, unless sent
    before; how many were sent. A subscriber without an e-mail address or the roles to read briefings
    is skipped (and logged)."""
    today = now.astimezone(local_zone()).date()
    made: dict[tuple[str, str, str], tuple[Briefing, tuple[bytes, bytes]]] = {}
    sent = 0
    for subscription in Subscription.objects.filter(active=True).select_related("user").order_by("pk"):
        user = subscription.user
        if not user.is_active or not user.email or not may_read(Viewer.of(user)):
            logger.info("briefing subscription %s skipped: no address or no reader's role", subscription.pk)
            continue
        period = last_ended(KINDS[subscription.kind], today)
        try:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(subscription=subscription, period_start=period.start,
                                                   sent_at=now)
                key = (subscription.kind, subscription.area_code, period.label)
                if key not in made:
                    briefing = build(subscription.kind, subscription.area_code, period.label, now=now)
                    made[key] = (briefing, (render_pdf(briefing), render_xlsx(briefing)))
                briefing, files = made[key]
                event = notify.publish(
                    "briefings.briefing.sent",
                    {"kind": briefing.kind, "area": briefing.area.code, "period": briefing.period.label},
                    emails=[_email(subscription, briefing, files)])
                Dispatch.objects.filter(pk=dispatch.pk).update(event_id=event.id)
        except IntegrityError:
            continue  # sent for this period already (by an earlier run, or another worker just now)
        except IocError as exc:  # the area's code names nothing any more: the others are still sent
            logger.warning("briefing subscription %s (%s) not sent: %s", subscription.pk, subscription, exc)
            continue
        sent += 1
    return sent
