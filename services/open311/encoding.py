"""The two formats of the specification: JSON, and XML mapped from it (the Spark convention: a list is an
element holding one element per item, named by ITEM), built with the standard library's ElementTree."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# The element of each item of a list, by the list's name.
ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
        "endpoints": "endpoint", "formats": "format", "errors": "error"}
# Characters XML 1.0 cannot carry (a NUL or ESC echoed from a path would make the document unreadable).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def encode(fmt: str, root: str, data: Any) -> bytes:
    """`data` as JSON, or as XML under the element `root` (a list's root names its items by ITEM)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    element = ET.Element(root)
    _fill(element, root, data)
    return XML_DECLARATION + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, member in value.items():
            _fill(ET.SubElement(element, key), key, member)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM[name]), ITEM[name], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("\ufffd", str(value))
