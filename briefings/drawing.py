"""The briefing's pictures, drawn on the server with Matplotlib (Agg: no display, no browser, no network)
from the platform's own data: the area's communes coloured by the reports received, the overdue reports and
directives as points; the feedback trend and an indicator's trend against last year. PNG bytes, sized to
the box the PDF gives them; their words in Vietnamese, or in English for `language="en"`
(briefings.labels)."""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as Patch
from shapely import wkb
from shapely.geometry import MultiPolygon

from briefings.build import Briefing
from briefings.fonts import for_charts
from briefings.labels import text

DPI = 150  # print quality for A4; 200 took twice as long to draw and embed
COLOURS = ["#CFE6F5", "#9CCAE8", "#6AA9D6", "#3D83BD", "#1F5F99"]  # few → many reports received
REPORT_COLOUR, DIRECTIVE_COLOUR = "#D63031", "#F39C12"  # warm points on the cool choropleth
NEIGHBOUR_FILL, NEIGHBOUR_EDGE = "#F1F2F6", "#B2BEC3"
LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.7, "linewidth": 0}
RECEIVED_COLOUR, RESOLVED_COLOUR, LAST_YEAR_COLOUR = "#0984E3", "#00B894", "#B2BEC3"


def _figure(width_pt: float, height_pt: float) -> Figure:
    figure = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _style() -> dict:
    return {"font.family": for_charts(), "font.size": 7, "axes.titlesize": 9, "axes.titleweight": "bold"}


def _headroom(values: list[float]) -> float:
    """The top of a chart's axis: a quarter above the highest value, room for the legend."""
    return 1.25 * max([1.0, *values])


def _classes(values: list[int]) -> list[float]:
    """Class limits of the colours: equal steps up to the largest count (at least one per class)."""
    top = max([*values, len(COLOURS)])
    step = math.ceil(top / len(COLOURS))
    return [i * step - 0.5 for i in range(len(COLOURS) + 1)]


def _range(low: float, high: float) -> str:
    """A class of whole counts between the limits: '3', '4–6'."""
    first, last = math.ceil(low), math.floor(high)
    return str(first) if first == last else f"{first}–{last}"


def area_map(briefing: Briefing, width_pt: float, height_pt: float, *, language: str = "vi") -> bytes:
    """The map of the area: communes coloured by reports received in the period, labelled by name; overdue
    reports (red dots) and directives (purple triangles); a legend stating the classes."""
    from matplotlib import rc_context

    with rc_context(_style()):
        figure = _figure(width_pt, height_pt)
        axes = figure.add_axes((0.01, 0.08, 0.98, 0.84))
        limits = _classes([c.received for c in briefing.communes])
        norm = BoundaryNorm(limits, len(COLOURS))
        for name, geom in briefing.neighbours:
            shape = wkb.loads(bytes(geom.wkb))
            for polygon in shape.geoms if isinstance(shape, MultiPolygon) else [shape]:
                axes.add_patch(Patch(list(polygon.exterior.coords), closed=True, facecolor=NEIGHBOUR_FILL,
                                     edgecolor=NEIGHBOUR_EDGE, linewidth=0.5))
            point = shape.representative_point()
            axes.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=5.5, color="#636E72",
                          annotation_clip=True)
        bounds = []
        for commune in briefing.communes:
            shape = wkb.loads(bytes(commune.geom.wkb))
            polygons = shape.geoms if isinstance(shape, MultiPolygon) else [shape]
            colour = COLOURS[min(int(norm(commune.received)), len(COLOURS) - 1)]
            for polygon in polygons:
                axes.add_patch(Patch(list(polygon.exterior.coords), closed=True, facecolor=colour,
                                     edgecolor="#2D3436", linewidth=0.6))
            bounds.append(shape.bounds)
            point = shape.representative_point()
            axes.annotate(commune.name, (point.x, point.y), ha="center", va="center", fontsize=6.5,
                          color="#2D3436", fontweight="bold", bbox=LABEL_BOX)
        for items, colour, marker, label in (
            (briefing.reports_overdue, REPORT_COLOUR, "o", "map.reports_overdue"),
            (briefing.directives_overdue, DIRECTIVE_COLOUR, "^", "map.directives_overdue"),
        ):
            axes.scatter([i.lon for i in items], [i.lat for i in items], s=22, c=colour, marker=marker,
                         edgecolors="#2D3436", linewidths=0.4, zorder=3,
                         label=text(label, language, count=len(items)))
        if bounds:
            west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
            east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
            pad = 0.03 * max(east - west, north - south)
            axes.set_xlim(west - pad, east + pad)
            axes.set_ylim(south - pad, north + pad)
            axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")
        axes.set_axis_off()
        axes.set_title(text("map.title", language, name=briefing.name(language)))
        classes = [Patch([(0, 0)], facecolor=c, edgecolor="#2D3436", linewidth=0.4, label=_range(lo, hi))
                   for c, lo, hi in zip(COLOURS, limits, limits[1:], strict=False)]
        handles, _ = axes.get_legend_handles_labels()
        figure.legend(handles=[*classes, *handles], loc="lower center", ncol=len(classes) + 2, frameon=False,
                      fontsize=6, title=text("map.classes", language), title_fontsize=6)
        return _png(figure)


def feedback_chart(briefing: Briefing, width_pt: float, height_pt: float, *, language: str = "vi") -> bytes:
    """Reports received and resolved in the area, per week (the last 8) or month (the last 12)."""
    from matplotlib import rc_context

    with rc_context(_style()):
        figure = _figure(width_pt, height_pt)
        axes = figure.add_subplot()
        x = range(len(briefing.trend))
        axes.bar([i - 0.2 for i in x], [p.received for p in briefing.trend], 0.4, color=RECEIVED_COLOUR,
                 label=text("received.short", language))
        axes.bar([i + 0.2 for i in x], [p.resolved for p in briefing.trend], 0.4, color=RESOLVED_COLOUR,
                 label=text("resolved.short", language))
        axes.set_xticks(list(x), [p.label_in(language) for p in briefing.trend])
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_title(text("chart.feedback", language))
        axes.set_ylim(0, _headroom([n for p in briefing.trend for n in (p.received, p.resolved)]))
        axes.legend(frameon=False, ncol=2, loc="upper left")
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _png(figure)


def indicator_chart(briefing: Briefing, width_pt: float, height_pt: float, *, language: str = "vi") -> bytes:
    """The first monthly indicator of the hub over its last 12 months, against the same months last year
    (an empty frame saying so when the area has none)."""
    from matplotlib import rc_context

    with rc_context(_style()):
        figure = _figure(width_pt, height_pt)
        axes = figure.add_subplot()
        axes.spines[["top", "right"]].set_visible(False)
        if briefing.indicator_trend is None:
            axes.set_title(text("chart.no_indicator", language))
            return _png(figure)
        row, rows = briefing.indicator_trend
        labels = [r["period"][5:] + "/" + r["period"][2:4] for r in rows]
        axes.bar(labels, [r["actual"] or 0 for r in rows], color="#E17055", label=text("actual", language))
        axes.plot(labels, [r["last_year"] for r in rows], color="#2D3436", marker="o", markersize=3,
                  linewidth=1, label=text("last_year", language))
        axes.set_title(f"{row.name_in(language)} ({row.unit_in(language)})")
        axes.set_ylim(0, _headroom([r[key] or 0 for r in rows for key in ("actual", "last_year")]))
        axes.legend(frameon=False, ncol=2, loc="upper left")
        figure.tight_layout()
        return _png(figure)
