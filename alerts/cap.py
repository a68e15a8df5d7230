"""CAP 1.2 (OASIS Common Alerting Protocol) documents of alerts, and the Atom and RSS feeds that carry them.

Each document has a Vietnamese `info` block first and an English one; its area is the alert's polygon (a
ward) or a circle around its point. Times are local (+07:00, no fractions: the schema's pattern). An open
or acknowledged alert is a msgType Alert; a cleared one a Cancel referencing it. Framework-neutral: the
callers give the absolute base URL of the platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET  # noqa: N817 (the usual name)

from django.utils import timezone

from alerts.models import Alert
from alerts.vocabularies import RULE_KIND

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM = "http://www.w3.org/2005/Atom"
SENDER = "ioc@toancanh.vn"  # who issues the platform's alerts (CAP <sender>)
SENDER_NAME = ("Trung tâm điều hành Toàn Cảnh", "Toàn Cảnh operations centre")
RESTRICTION = "Chỉ dành cho cán bộ điều hành / for operations staff only"
# the circle drawn around an alert's point when it has neither a polygon nor a radius of its own
DEFAULT_RADIUS_M = {"threshold": 1000.0, "count": 500.0, "silence": 50.0, "zone": 100.0}
LANGUAGES = (("vi-VN", 0), ("en-US", 1))

ET.register_namespace("", CAP)


def cap_time(moment: datetime) -> str:
    """2031-03-03T10:00:00+07:00: local time, whole seconds, an offset (never Z)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def identifier(alert: Alert, cleared: bool = False) -> str:
    """The CAP identifier of the alert's document (its code), or of its cancellation."""
    return f"{alert.code}-cleared" if cleared else alert.code


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP}}}{tag}")
    element.text = str(value)
    return element


def _polygons(alert: Alert) -> list[str]:
    """Each exterior ring of the alert's area as a CAP polygon: "lat,lon lat,lon …", closed."""
    if alert.area is None:
        return []
    return [" ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in polygon.exterior_ring.coords)
            for polygon in alert.area]


def _circle(alert: Alert) -> str:
    radius_m = alert.radius_m or DEFAULT_RADIUS_M[alert.kind]
    return f"{alert.geom.y:.6f},{alert.geom.x:.6f} {radius_m / 1000:.3f}"


def _area(info: ET.Element, alert: Alert, language: int) -> None:
    area = ET.SubElement(info, f"{{{CAP}}}area")
    place = alert.ward.name if alert.ward_id else ("Toàn thành phố", "The whole city")[language]
    _text(area, "areaDesc", place)
    polygons = _polygons(alert)
    for polygon in polygons:
        _text(area, "polygon", polygon)
    if not polygons:
        _text(area, "circle", _circle(alert))


def _info(root: ET.Element, alert: Alert, language: str, index: int, base_url: str) -> None:
    rule = alert.rule
    info = ET.SubElement(root, f"{{{CAP}}}info")
    _text(info, "language", language)
    _text(info, "category", alert.category)
    _text(info, "event", (rule.name, rule.name_en)[index])
    _text(info, "responseType", "Monitor" if alert.status != "cleared" else "AllClear")
    _text(info, "urgency", "Past" if alert.status == "cleared" else alert.urgency)
    _text(info, "severity", alert.severity)
    _text(info, "certainty", alert.certainty)
    _text(info, "onset", cap_time(alert.opened_at))
    _text(info, "senderName", SENDER_NAME[index])
    _text(info, "headline", (alert.title, alert.title_en)[index])
    _text(info, "description", _description(alert, index))
    if instruction := (rule.instruction, rule.instruction_en)[index]:
        _text(info, "instruction", instruction)
    _text(info, "web", f"{base_url}/?alert={alert.pk}")
    for name, value in (("rule", rule.code), ("rule_version", alert.rule_version), ("status", alert.status)):
        parameter = ET.SubElement(info, f"{{{CAP}}}parameter")
        _text(parameter, "valueName", name)
        _text(parameter, "value", value)
    _area(info, alert, index)


def _description(alert: Alert, index: int) -> str:
    kind = RULE_KIND[alert.kind]
    value = "" if alert.value is None else (f" Giá trị: {alert.value:g}.", f" Value: {alert.value:g}.")[index]
    if alert.status == "cleared":
        ended = (f" Kết thúc lúc {cap_time(alert.cleared_at)}.", f" Cleared at {cap_time(alert.cleared_at)}.")
        return f"{(kind.vi, kind.en)[index]}.{value}{ended[index]}"
    return f"{(kind.vi, kind.en)[index]}.{value}"


def document(alert: Alert, base_url: str) -> ET.Element:
    """The CAP <alert> of `alert` as it stands (a Cancel once cleared)."""
    cleared = alert.status == "cleared"
    root = ET.Element(f"{{{CAP}}}alert")
    _text(root, "identifier", identifier(alert, cleared))
    _text(root, "sender", SENDER)
    _text(root, "sent", cap_time(alert.cleared_at if cleared else alert.opened_at))
    _text(root, "status", "Actual")
    _text(root, "msgType", "Cancel" if cleared else "Alert")
    _text(root, "scope", "Public" if alert.rule.public else "Restricted")
    if not alert.rule.public:
        _text(root, "restriction", RESTRICTION)
    if cleared:
        _text(root, "references", f"{SENDER},{identifier(alert)},{cap_time(alert.opened_at)}")
    for language, index in LANGUAGES:
        _info(root, alert, language, index, base_url)
    return root


def cap_xml(alert: Alert, base_url: str) -> bytes:
    """The CAP document as UTF-8 XML bytes with a declaration."""
    return ET.tostring(document(alert, base_url), encoding="utf-8", xml_declaration=True)


def atom(alerts: Iterable[Alert], base_url: str, now: datetime) -> bytes:
    """An Atom feed with one entry per alert: its headline, a link to its CAP document, the CAP <alert>
    itself as the entry's content (Vietnamese first)."""
    ET.register_namespace("atom", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    alerts = list(alerts)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    add(feed, "id", f"{base_url}/api/alerts/cap.atom")
    add(feed, "title", "Toàn Cảnh — Cảnh báo / Alerts")
    add(feed, "updated", cap_time(max((_changed(a) for a in alerts), default=now)))
    add(feed, "link", rel="self", href=f"{base_url}/api/alerts/cap.atom")
    add(add(feed, "author"), "name", SENDER_NAME[0])
    for alert in alerts:
        entry = add(feed, "entry")
        add(entry, "id", f"urn:toancanh:alert:{identifier(alert, alert.status == 'cleared')}")
        add(entry, "title", alert.title)
        add(entry, "updated", cap_time(_changed(alert)))
        add(entry, "published", cap_time(alert.opened_at))
        add(entry, "summary", alert.title_en)
        add(entry, "link", rel="alternate", type="application/cap+xml",
            href=f"{base_url}/api/alerts/{alert.pk}.cap")
        add(entry, "category", term=alert.severity, label="severity")
        content = add(entry, "content", type="text/xml")
        content.append(document(alert, base_url))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def rss(alerts: Iterable[Alert], base_url: str, now: datetime) -> bytes:
    """The same alerts as an RSS 2.0 channel, each item linking to its CAP document."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    for tag, text in (("title", "Toàn Cảnh — Cảnh báo / Alerts"), ("link", f"{base_url}/api/alerts/cap.rss"),
                      ("description", "Cảnh báo CAP 1.2 / CAP 1.2 alerts"), ("language", "vi"),
                      ("lastBuildDate", format_datetime(timezone.localtime(now)))):
        ET.SubElement(channel, tag).text = text
    for alert in alerts:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = alert.title
        ET.SubElement(item, "link").text = f"{base_url}/api/alerts/{alert.pk}.cap"
        ET.SubElement(item, "description").text = alert.title_en
        ET.SubElement(item, "guid", isPermaLink="false").text = identifier(alert, alert.status == "cleared")
        ET.SubElement(item, "pubDate").text = format_datetime(timezone.localtime(alert.opened_at))
        ET.SubElement(item, "category").text = alert.severity
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _changed(alert: Alert) -> datetime:
    return alert.cleared_at or alert.acknowledged_at or alert.opened_at
