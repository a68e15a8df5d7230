"""Sheet and parcel numbers (tờ bản đồ, thửa đất) read from a search box in the forms officials type.

'tờ 12 thửa 345', 'to 12 thua 345', 'Tờ số 12, thửa số 345', 'thửa 345 tờ 12', '12/345', 't12 th345',
'T12 Th345': all sheet 12, parcel 345, with or without diacritics. What the numbers leave of the text
(a ward's name, say) is kept, folded.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spatial.text import fold

_NUMBER = r"(?:so\s*)?(\d{1,5})"  # 'số 12' or '12'
_SHEET = rf"\b(?:to(?:\s*ban\s*do)?|t)\s*\.?\s*{_NUMBER}\b"  # tờ, tờ bản đồ, t
_PARCEL = rf"\b(?:thua(?:\s*dat)?|th)\s*\.?\s*{_NUMBER}\b"  # thửa, thửa đất, th
_BETWEEN = r"\s*[,;]?\s*"
FORMS = (  # (pattern, which group is the sheet, which the parcel)
    (re.compile(_SHEET + _BETWEEN + _PARCEL), 1, 2),
    (re.compile(_PARCEL + _BETWEEN + _SHEET), 2, 1),
    (re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*(\d{1,5})(?![\d/])"), 1, 2),
)


class SheetParcel(NamedTuple):
    sheet: int
    parcel: int
    rest: str  # the other words of the text, folded ('' when none)


def parse(text: str) -> SheetParcel | None:
    """The sheet and parcel numbers in `text`, or None when it names none."""
    folded = fold(text)
    for pattern, sheet, parcel in FORMS:
        found = pattern.search(folded)
        if found:
            rest = " ".join((folded[:found.start()] + " " + folded[found.end():]).replace(",", " ").split())
            return SheetParcel(int(found.group(sheet)), int(found.group(parcel)), rest)
    return None
