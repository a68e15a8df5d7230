"""A layer's style from the registry as QGIS renders it (QML, and inside generated projects) and as SLD.

The same declaration the map wall draws (layers.registry.Style): the styled field's categories with
their legend colours and labels, a single symbol when nothing is categorised, names as labels when
the style always carries them, and no drawing below the style's min zoom (a scale range).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from layers.registry import Layer
from layers.vocabularies import Term

QGIS_VERSION = "3.22.16-Białowieża"  # the QGIS these files are written for (Debian 12's) and later
DOCTYPE = b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
# the scale denominator of Web Mercator zoom 0 at OGC's 0.28 mm pixel, as QGIS's vector tiles count it
ZOOM_0_SCALE = 559_082_264.028717
OUTLINE = "#555555"
SLD = "http://www.opengis.net/sld"
OGC = "http://www.opengis.net/ogc"


@dataclass(frozen=True)
class Category:
    """One class of a layer's style: the value it matches ("" matches every feature), label, colour."""

    value: str
    label: str
    color: str


def categories(layer: Layer, language: str = "vi") -> list[Category]:
    """The styled field's codes with their legend colours, or one class for every feature."""
    style = layer.style
    if style.by is None or style.vocabulary is None:
        return [Category("", layer.title_en if language == "en" else layer.title_vi, style.color)]
    return [Category(term.code, _label(term, language), term.color) for term in style.vocabulary.terms]


def _label(term: Term, language: str) -> str:
    return term.en if language == "en" else term.vi


def label_field(layer: Layer) -> str | None:
    """The field shown as labels: the name, when the style always carries it (as on the map wall)."""
    return "name" if "name" in layer.style.always else None


def min_scale(layer: Layer) -> float | None:
    """The largest scale denominator at which the layer is drawn (half a zoom above its min zoom,
    so that a screen at its min zoom shows it), or None when it is drawn at every scale."""
    if layer.style.min_zoom <= 0:
        return None
    return round(ZOOM_0_SCALE / 2 ** (layer.style.min_zoom - 0.5))


def _rgba(color: str, alpha: int = 255) -> str:
    color = color.lstrip("#")
    return ",".join(str(int(color[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def symbol_kind(layer: Layer) -> str:
    """QGIS's symbol type: fill for areas (outlined only when the style draws lines), line, marker."""
    if layer.geometry_type.endswith("Polygon"):
        return "fill"
    return {"line": "line", "circle": "marker"}.get(layer.style.kind, "marker")


def _props(element: ET.Element, **values: str) -> None:
    for key, value in values.items():
        ET.SubElement(element, "prop", k=key, v=value)


def _part(symbol: ET.Element, kind: str) -> ET.Element:
    return ET.SubElement(symbol, "layer", {"class": kind, "enabled": "1", "locked": "0", "pass": "0"})


def _symbol(layer: Layer, name: str, color: str) -> ET.Element:
    kind = symbol_kind(layer)
    symbol = ET.Element("symbol", name=name, type=kind, alpha="1", clip_to_extent="1", force_rhr="0")
    if kind == "fill":
        part = _part(symbol, "SimpleFill")
        outlined_only = layer.style.kind == "line"
        _props(part, color=_rgba(color, 180), style="no" if outlined_only else "solid",
               outline_color=_rgba(color if outlined_only else OUTLINE), outline_style="solid",
               outline_width="0.6" if outlined_only else "0.1", outline_width_unit="MM")
    elif kind == "line":
        part = _part(symbol, "SimpleLine")
        _props(part, line_color=_rgba(color), line_width="0.6", line_width_unit="MM", line_style="solid",
               capstyle="round", joinstyle="round")
    else:
        part = _part(symbol, "SimpleMarker")
        _props(part, name="circle", color=_rgba(color), outline_color="255,255,255,255", outline_width="0.3",
               outline_width_unit="MM", size="2.6", size_unit="MM")
    return symbol


def renderer(layer: Layer, language: str = "vi") -> ET.Element:
    """QGIS's <renderer-v2>: categorised on the styled field, or a single symbol."""
    found = categories(layer, language)
    if layer.style.by is None or layer.style.vocabulary is None:
        element = ET.Element("renderer-v2", type="singleSymbol", forceraster="0", symbollevels="0",
                             enableorderby="0")
        symbols = ET.SubElement(element, "symbols")
        symbols.append(_symbol(layer, "0", found[0].color))
        return element
    element = ET.Element("renderer-v2", type="categorizedSymbol", attr=layer.style.by, forceraster="0",
                         symbollevels="0", enableorderby="0")
    listed = ET.SubElement(element, "categories")
    symbols = ET.SubElement(element, "symbols")
    for index, category in enumerate(found):
        ET.SubElement(listed, "category", render="true", symbol=str(index), value=category.value,
                      label=category.label)
        symbols.append(_symbol(layer, str(index), category.color))
    return element


def labeling(layer: Layer) -> ET.Element | None:
    """QGIS's simple <labeling> on the name (a white halo, along roads), or None."""
    field = label_field(layer)
    if field is None:
        return None
    element = ET.Element("labeling", type="simple")
    settings = ET.SubElement(element, "settings", calloutType="simple")
    style = ET.SubElement(settings, "text-style", fieldName=field, isExpression="0", fontSize="9",
                          fontSizeUnit="Point", textColor="51,51,51,255", fontFamily="Noto Sans")
    ET.SubElement(style, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="1")
    along = layer.geometry_type.endswith("LineString")
    ET.SubElement(settings, "placement", placement="2" if along else "0", placementFlags="10")
    ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", scaleVisibility="0")
    return element


def scale_attributes(layer: Layer) -> dict[str, str]:
    """A map layer's scale range attributes (QGIS: minScale is the most zoomed-out denominator)."""
    limit = min_scale(layer)
    return {"hasScaleBasedVisibilityFlag": "1" if limit else "0", "minScale": str(limit or 0),
            "maxScale": "0"}


def qml(layer: Layer, language: str = "vi") -> bytes:
    """The layer's style as a QGIS style file (.qml)."""
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="AllStyleCategories",
                      labelsEnabled="1" if label_field(layer) else "0", **scale_attributes(layer))
    root.append(renderer(layer, language))
    if (labels := labeling(layer)) is not None:
        root.append(labels)
    ET.SubElement(root, "layerGeometryType").text = {"fill": "2", "line": "1"}.get(symbol_kind(layer), "0")
    return DOCTYPE + ET.tostring(root, encoding="utf-8")


# -- SLD 1.0 ---------------------------------------------------------------------------------------
def _sld_symbolizer(layer: Layer, rule: ET.Element, color: str) -> None:
    kind = symbol_kind(layer)
    if kind == "fill":
        symbolizer = ET.SubElement(rule, f"{{{SLD}}}PolygonSymbolizer")
        if layer.style.kind != "line":
            fill = ET.SubElement(symbolizer, f"{{{SLD}}}Fill")
            _css(fill, fill=color, **{"fill-opacity": "0.7"})
        _css(ET.SubElement(symbolizer, f"{{{SLD}}}Stroke"),
             stroke=color if layer.style.kind == "line" else OUTLINE,
             **{"stroke-width": "2" if layer.style.kind == "line" else "0.5"})
    elif kind == "line":
        _css(ET.SubElement(ET.SubElement(rule, f"{{{SLD}}}LineSymbolizer"), f"{{{SLD}}}Stroke"),
             stroke=color, **{"stroke-width": "2"})
    else:
        graphic = ET.SubElement(ET.SubElement(rule, f"{{{SLD}}}PointSymbolizer"), f"{{{SLD}}}Graphic")
        mark = ET.SubElement(graphic, f"{{{SLD}}}Mark")
        ET.SubElement(mark, f"{{{SLD}}}WellKnownName").text = "circle"
        _css(ET.SubElement(mark, f"{{{SLD}}}Fill"), fill=color)
        _css(ET.SubElement(mark, f"{{{SLD}}}Stroke"), stroke="#ffffff", **{"stroke-width": "1"})
        ET.SubElement(graphic, f"{{{SLD}}}Size").text = "10"


def _css(parent: ET.Element, **values: str) -> None:
    for name, value in values.items():
        ET.SubElement(parent, f"{{{SLD}}}CssParameter", name=name).text = value


def sld(layer: Layer, language: str = "vi") -> bytes:
    """The layer's style as an OGC Styled Layer Descriptor 1.0 (one rule per category)."""
    ET.register_namespace("sld", SLD)
    ET.register_namespace("ogc", OGC)
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", version="1.0.0")
    named = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    ET.SubElement(named, f"{{{SLD}}}Name").text = layer.id
    user = ET.SubElement(named, f"{{{SLD}}}UserStyle")
    ET.SubElement(user, f"{{{SLD}}}Name").text = "default"
    ET.SubElement(user, f"{{{SLD}}}Title").text = layer.title_en if language == "en" else layer.title_vi
    style = ET.SubElement(user, f"{{{SLD}}}FeatureTypeStyle")
    limit = min_scale(layer)
    for category in categories(layer, language):
        rule = ET.SubElement(style, f"{{{SLD}}}Rule")
        ET.SubElement(rule, f"{{{SLD}}}Name").text = category.value or layer.id
        ET.SubElement(rule, f"{{{SLD}}}Title").text = category.label
        if category.value:
            equal = ET.SubElement(ET.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{OGC}}}PropertyName").text = layer.style.by
            ET.SubElement(equal, f"{{{OGC}}}Literal").text = category.value
        if limit:
            ET.SubElement(rule, f"{{{SLD}}}MaxScaleDenominator").text = str(limit)
        _sld_symbolizer(layer, rule, category.color)
    if (field := label_field(layer)) is not None:
        rule = ET.SubElement(style, f"{{{SLD}}}Rule")
        ET.SubElement(rule, f"{{{SLD}}}Name").text = "labels"
        text = ET.SubElement(rule, f"{{{SLD}}}TextSymbolizer")
        ET.SubElement(ET.SubElement(text, f"{{{SLD}}}Label"), f"{{{OGC}}}PropertyName").text = field
        halo = ET.SubElement(text, f"{{{SLD}}}Halo")
        ET.SubElement(halo, f"{{{SLD}}}Radius").text = "1.5"
        _css(ET.SubElement(halo, f"{{{SLD}}}Fill"), fill="#ffffff")
        _css(ET.SubElement(text, f"{{{SLD}}}Fill"), fill="#333333")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
