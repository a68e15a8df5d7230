"""Discovery and the services: the report categories (layers.vocabularies.REPORT_CATEGORY) as Open311
service types, grouped under the citizen reports layer of the registry."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from layers.registry import registry
from layers.vocabularies import REPORT_CATEGORY
from services.open311.errors import NotFound

LAYER = "citizen_reports"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+07:00"  # the date this API last changed (clients compare it)
FORMATS = ["text/xml", "application/json"]
KEY_SERVICE = {
    "vi": "Đọc và gửi phản ánh không cần khóa API (gửi ẩn danh bị giới hạn số lần mỗi giờ theo địa chỉ); "
          "ứng dụng tin cậy gửi api_key là mã truy cập do quản trị cấp (ioc token).",
    "en": "Reading and filing need no API key (anonymous filing is limited per address and hour); a "
          "trusted app sends api_key, an access token issued by an administrator (ioc token).",
}
CONTACT = {"vi": "Liên hệ Trung tâm điều hành: {}", "en": "Contact the operations centre: {}"}
# Attributes (extra questions asked when filing) per service code; none of our categories asks any yet.
ATTRIBUTES: dict[str, list[dict[str, Any]]] = {}


def discovery(url: str, language: str) -> dict[str, Any]:
    """The Service Discovery document of this endpoint, served at `url`."""
    return {
        "changeset": CHANGESET,
        "contact": CONTACT[language].format(settings.DEFAULT_FROM_EMAIL),
        "key_service": KEY_SERVICE[language],
        "endpoints": [{"specification": SPECIFICATION, "url": url, "changeset": CHANGESET,
                       "type": "production", "formats": FORMATS}],
    }


def service_codes() -> tuple[str, ...]:
    """The service codes: the report categories' codes."""
    return REPORT_CATEGORY.codes


def service_name(code: str, language: str) -> str:
    """The name of a service in `language` (vi or en)."""
    term = REPORT_CATEGORY[code]
    return term.en if language == "en" else term.vi


def services(language: str) -> list[dict[str, Any]]:
    """GET services: one service per report category, named in `language`."""
    layer = registry.get(LAYER)
    group = layer.title_en if language == "en" else layer.title_vi
    found = []
    for term in REPORT_CATEGORY.terms:
        name = service_name(term.code, language)
        described = (f"Phản ánh kiến nghị về {term.vi.lower()}" if language == "vi"
                     else f"Citizen reports about {term.en.lower()}")
        found.append({
            "service_code": term.code,
            "service_name": name,
            "description": described,
            "metadata": bool(ATTRIBUTES.get(term.code)),
            "type": "realtime",
            "keywords": ", ".join(dict.fromkeys([*term.vi.split(", "), term.en, term.code])),
            "group": group,
        })
    return found


def service_definition(code: str) -> dict[str, Any]:
    """GET services/{code}: the code and its attributes (a list, possibly empty)."""
    if code not in REPORT_CATEGORY:
        shown = code[:60]
        raise NotFound(f"service_code '{shown}' không phải dịch vụ của điểm truy cập này",
                       f"service_code '{shown}' is not a service of this endpoint")
    return {"service_code": code, "attributes": ATTRIBUTES.get(code, [])}
