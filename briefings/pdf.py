"""The briefing as a PDF (ReportLab, A4, Noto Sans embedded): page 1 the title, the key figures and the
map; page 2 the two trend charts; then the indicators of the hub, the figures per commune and the overdue
reports and directives. Every word in Vietnamese, or in English for `language="en"` (briefings.labels).

The map and the charts sit in fixed boxes (PLACES), so a reader of the document, or a test, knows where
each picture is on its page.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    Image,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from briefings import drawing
from briefings.build import FIGURES, Briefing, Overdue
from briefings.fonts import for_pdf
from briefings.labels import days, either, text
from briefings.numbers import number, percent

WIDTH, HEIGHT = A4
MARGIN = 36.0
INNER = WIDTH - 2 * MARGIN
# name: (page, (x, top, width, height)) in points from the page's top left
PLACES = {
    "map": (1, (MARGIN, 300.0, INNER, HEIGHT - MARGIN - 300.0 - 14)),
    "feedback_chart": (2, (MARGIN, MARGIN, INNER, 370.0)),
    "indicator_chart": (2, (MARGIN, MARGIN + 380.0, INNER, 370.0)),
}
HEAD = (MARGIN, MARGIN, INNER, 300.0 - MARGIN - 8)  # page 1 above the map
GRID = colors.HexColor("#B2BEC3")
HEADER_FILL = colors.HexColor("#EEEEEE")


def _frame(box: tuple[float, float, float, float], name: str) -> Frame:
    x, top, width, height = box
    return Frame(x, HEIGHT - top - height, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0, id=name, showBoundary=0)


def _styles() -> dict[str, ParagraphStyle]:
    fonts = for_pdf()
    regular, bold = fonts["regular"], fonts["bold"]
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=9, leading=12, spaceAfter=8),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=11, leading=14, spaceBefore=6,
                                  spaceAfter=4, keepWithNext=1),
        "head_cell": ParagraphStyle("head_cell", fontName=bold, fontSize=7.5, leading=9),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
        "body": ParagraphStyle("body", fontName=regular, fontSize=8, leading=10),
    }


def _table(rows: list[list], widths: list[float], *, numeric_from: int = 1) -> Table:
    """A table whose first row (names, wrapped in their cells) repeats on each page."""
    fonts, head = for_pdf(), _styles()["head_cell"]
    rows = [[Paragraph(name, head) for name in rows[0]], *rows[1:]]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts["regular"], 8),
        ("FONT", (0, 0), (-1, 0), fonts["bold"], 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
    ]))
    return table


def _key_figures(briefing: Briefing, language: str) -> Table:
    rows = [[text("figure", language), text("value", language)]]
    rows += [[either(language, *FIGURES[key]), number(value, language=language)]
             for key, value in briefing.figures.items()]
    return _table(rows, [260.0, 80.0])


def _indicator_table(briefing: Briefing, styles: dict, language: str) -> list:
    if not briefing.indicators:
        return [Paragraph(text("empty.indicators", language), styles["body"])]
    rows = [[text(key, language) for key in ("indicator", "unit", "period", "actual", "ytd", "plan.short",
                                             "pct_of_plan.short", "last_year.short", "change.short")]]
    rows += [[Paragraph(r.name_in(language), styles["cell"]), Paragraph(r.unit_in(language), styles["cell"]),
              r.period, number(r.actual, language=language), number(r.ytd, language=language),
              number(r.plan, language=language), percent(r.pct_of_plan, language=language),
              number(r.last_year, language=language), percent(r.change_pct, signed=True, language=language)]
             for r in briefing.indicators]
    return [_table(rows, [118.0, 68.0, 44.0, 44.0, 46.0, 44.0, 46.0, 52.0, 61.0], numeric_from=3)]


def _commune_table(briefing: Briefing, language: str) -> Table:
    rows = [[text(key, language) for key in ("code", "commune", "received.short", "resolved.short",
                                             "overdue.short")]]
    rows += [[c.code, c.name, *(number(n, language=language) for n in (c.received, c.resolved, c.overdue))]
             for c in briefing.communes]
    return _table(rows, [62.0, 220.0, 80.0, 80.0, 80.0], numeric_from=2)


def _overdue_table(items: list[Overdue], styles: dict, empty: str, language: str) -> list:
    if not items:
        return [Paragraph(text(empty, language), styles["body"])]
    rows = [[text(key, language) for key in ("code", "subject", "commune", "unit_in_charge", "due",
                                             "overdue.short")]]
    rows += [[i.code, Paragraph(i.title, styles["cell"]), Paragraph(i.commune, styles["cell"]),
              Paragraph(i.unit, styles["cell"]), f"{i.due:%d/%m/%Y}", days(i.days_late, language)]
             for i in items]
    return [_table(rows, [62.0, 170.0, 95.0, 95.0, 52.0, 49.0], numeric_from=4)]


def _picture(png: bytes, box: tuple[float, float, float, float]) -> Image:
    return Image(io.BytesIO(png), width=box[2] - 1, height=box[3] - 1)


def _footer(briefing: Briefing, language: str):
    fonts = for_pdf()
    made = briefing.now.astimezone(briefing.as_of.tzinfo)

    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(fonts["regular"], 7)
        canvas.setFillColor(colors.HexColor("#636E72"))
        canvas.drawString(MARGIN, MARGIN / 2, text("footer", language, name=briefing.name(language),
                                                   area=briefing.area.name, made=f"{made:%H:%M %d/%m/%Y}"))
        canvas.drawRightString(WIDTH - MARGIN, MARGIN / 2, text("page", language, page=document.page))
        canvas.restoreState()

    return draw


def render_pdf(briefing: Briefing, language: str = "vi") -> bytes:
    """The briefing's PDF bytes, in Vietnamese or in English (`language` "en")."""
    styles = _styles()
    footer = _footer(briefing, language)
    out = io.BytesIO()
    document = BaseDocTemplate(out, pagesize=A4, title=f"{briefing.name(language)} – {briefing.area.name}",
                               author="Toàn Cảnh", initialFontName=for_pdf()["regular"],
                               leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                               bottomMargin=MARGIN)
    whole = (MARGIN, MARGIN, INNER, HEIGHT - 2 * MARGIN - 14)
    document.addPageTemplates([
        PageTemplate("cover", [_frame(HEAD, "head"), _frame(PLACES["map"][1], "map")], onPage=footer),
        PageTemplate("charts", [_frame(PLACES["feedback_chart"][1], "c1"),
                                _frame(PLACES["indicator_chart"][1], "c2")], onPage=footer),
        PageTemplate("lists", [_frame(whole, "lists")], onPage=footer),
    ])
    as_of = briefing.as_of.astimezone(briefing.as_of.tzinfo)
    head = [
        Paragraph(briefing.title(language), styles["title"]),
        Paragraph(text("subtitle", language, area=briefing.area.name, code=briefing.area.code,
                       as_of=f"{as_of:%H:%M %d/%m/%Y}"), styles["subtitle"]),
        _key_figures(briefing, language),
    ]
    story = [
        KeepInFrame(HEAD[2], HEAD[3], head, mode="shrink"), FrameBreak(),
        _picture(drawing.area_map(briefing, *PLACES["map"][1][2:], language=language), PLACES["map"][1]),
        NextPageTemplate("charts"), PageBreak(),
        _picture(drawing.feedback_chart(briefing, *PLACES["feedback_chart"][1][2:], language=language),
                 PLACES["feedback_chart"][1]),
        FrameBreak(),
        _picture(drawing.indicator_chart(briefing, *PLACES["indicator_chart"][1][2:], language=language),
                 PLACES["indicator_chart"][1]),
        NextPageTemplate("lists"), PageBreak(),
        Paragraph(text("heading.indicators", language), styles["heading"]),
        *_indicator_table(briefing, styles, language),
        Spacer(0, 10),
        Paragraph(text("heading.communes", language), styles["heading"]),
        _commune_table(briefing, language),
    ]
    for name in ("reports_overdue", "directives_overdue"):
        items = getattr(briefing, name)
        story += [
            Spacer(0, 10),
            Paragraph(text(f"heading.{name}", language, count=len(items)), styles["heading"]),
            *_overdue_table(items, styles, f"empty.{name}", language),
        ]
    document.build(story)
    return out.getvalue()

