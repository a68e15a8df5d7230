"""The briefings' typeface: Noto Sans (Debian's fonts-noto-core, scripts/lib.sh), which has every Vietnamese
letter precomposed, registered once with ReportLab (embedded in the PDF) and Matplotlib (maps, charts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FAMILY = "Noto Sans"
FACES = {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"}
FOLDERS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))
PDF_NAMES = {"regular": "NotoSans", "bold": "NotoSans-Bold"}


@cache
def font_files() -> dict[str, Path]:
    """{face: path} of the typeface's files; ImproperlyConfigured naming the package when missing."""
    for folder in FOLDERS:
        found = {face: folder / name for face, name in FACES.items()}
        if all(path.is_file() for path in found.values()):
            return found
    raise ImproperlyConfigured("briefings need Noto Sans (apt-get install fonts-noto-core): "
                               f"{', '.join(FACES.values())} not found under {', '.join(map(str, FOLDERS))}")


@cache
def for_pdf() -> dict[str, str]:
    """The ReportLab font names of the faces, registered (TrueType, embedded as subsets)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = font_files()
    for face, name in PDF_NAMES.items():
        pdfmetrics.registerFont(TTFont(name, str(files[face])))
    addMapping(PDF_NAMES["regular"], 0, 0, PDF_NAMES["regular"])
    addMapping(PDF_NAMES["regular"], 1, 0, PDF_NAMES["bold"])
    return dict(PDF_NAMES)


@cache
def for_charts() -> str:
    """The Matplotlib family name, its files added to Matplotlib's font manager."""
    from matplotlib import font_manager

    for path in font_files().values():
        font_manager.fontManager.addfont(str(path))
    return FAMILY
