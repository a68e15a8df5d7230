"""The demo city's epidemic watch (synthetic), loaded by `ioc load_demo` once the communes are in: the
outbreak, the sites and the incidence series of health.demo, and the demo's alert rule over the 7-day
incidence per commune, declared from data as an administrator would. The rule is not evaluated at load
(the demo's other episodes are the alerts it starts with); the alerts job evaluates it every minute."""

from __future__ import annotations

from datetime import date

from alerts.models import AlertRule
from health import demo

RULE = {"code": "incidence-7d-100", "name": "Tỷ lệ mắc 7 ngày trên 100/100.000 dân",
        "name_en": "7-day incidence above 100 per 100,000", "kind": "threshold", "layer": "epidemic_cases",
        "metric": "incidence_7d", "comparison": "gt", "threshold": 100, "readings": 1,
        "window_minutes": 24 * 60, "severity": "Moderate", "urgency": "Expected", "certainty": "Observed",
        "category": "Health", "public": False, "cooldown_minutes": 24 * 60,
        "instruction": "Khoanh vùng ổ dịch, phun hoá chất diệt muỗi, tăng cường giám sát ca bệnh.",
        "instruction_en": "Contain the cluster, spray against mosquitoes, step up case surveillance."}


def load(today: date) -> int:
    """The watch on `today` (health.demo.load) and its alert rule (version 1); the rows written."""
    written = demo.load(today)
    rule = AlertRule(**RULE)
    rule.full_clean()
    rule.save()
    return written
