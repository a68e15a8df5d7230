"""POST requests.{fmt}: a citizen's report filed through Open311 (form-encoded, GeoReport v2).

service_code, lat and long (we have no geocoder: an address alone is refused), description (the
report's text; its first line is the title), email, first_name, last_name, phone. Anonymous clients
are allowed and held to the per-address hourly limit; a client sending `api_key` (a personal token of
a trusted app's account, `ioc token`) must send a valid one (403 otherwise) and is not limited.
The answer is the new request's id at once (our services are realtime: no token).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from feedback.intake import IntakeError, file_report
from services.open311.catalogue import service_name
from services.open311.errors import BadParameter, Open311Error
from spatial.auth import AuthenticationFailed, user_from_header
from spatial.client_address import client_address


class Refused(Open311Error):
    """An api_key that is not valid (403)."""

    status = 403
    code = "Forbidden"


def _coordinate(form: Any, name: str) -> float:
    text = form.get(name, "").strip()
    if not text:
        raise BadParameter(f"{name}: cần vĩ độ và kinh độ (lat, long); chưa hỗ trợ chỉ có địa chỉ",
                           f"{name}: lat and long are required (an address alone is not supported)")
    try:
        return float(text)
    except ValueError:
        raise BadParameter(f"{name}: '{text[:40]}' không phải số", f"{name}: '{text[:40]}' is not a number") \
            from None


def file(request: HttpRequest, language: str) -> list[dict[str, Any]]:
    """File the posted report; [{service_request_id, service_notice, account_id}]."""
    form = request.POST
    trusted = False
    if key := form.get("api_key", "").strip():
        try:
            user_from_header(f"Bearer {key}", request)
        except AuthenticationFailed:
            raise Refused("api_key: khoá truy cập không hợp lệ", "api_key: the key is not valid") from None
        trusted = True
    code = form.get("service_code", "").strip()
    lat, lon = _coordinate(form, "lat"), _coordinate(form, "long")
    text = form.get("description", "").strip()
    if not text:
        raise BadParameter("description: hãy mô tả sự việc", "description: describe the problem")
    name = " ".join(part for part in (form.get("first_name", ""), form.get("last_name", "")) if part.strip())
    contact = {"full_name": name.strip(), "email": form.get("email", ""), "phone": form.get("phone", "")}
    try:
        report = file_report(category=code, title=text.splitlines()[0], description=text, lon=lon, lat=lat,
                             channel="app", contact=contact, address=client_address(request) or "",
                             limited=not trusted)
    except IntakeError as error:
        message = str(error).replace("category:", "service_code:").replace("location:", "lat/long:")
        raise BadParameter(message, message) from None
    return [{"service_request_id": report.code, "service_notice": service_name(report.category, language),
             "account_id": None}]
