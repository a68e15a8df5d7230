"""Folding Vietnamese text for search: lower case, no diacritics, đ → d ("Đồng Tâm" → "dong tam")."""

from __future__ import annotations

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})  # a letter of its own, not a d with a mark: NFD keeps it


def fold(text: str) -> str:
    """The search key of a text: 'ĐỒNG TÂM', 'Đồng Tâm' and 'dong  tam' all give 'dong tam'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
