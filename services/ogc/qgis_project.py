"""A QGIS project (.qgz) for one viewer: every layer they may read, over OGC API – Features, styled
from the registry (services.ogc.stylesheets), opening on the data's extent.

Nothing in it is secret: a layer whose answer depends on being signed in names the QGIS
authentication configuration AUTHCFG (which each user creates once, with their own account), and
the project's abstract says how, in Vietnamese and English.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
import zipfile
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from pyproj import CRS

from layers.registry import Layer, registry
from services.ogc import stylesheets
from spatial.access import Viewer
from spatial.vietnam import VIETNAM_BBOX
from tiles import extents

AUTHCFG = "toancnh"  # QGIS authentication configuration ids are seven letters or digits
FILE_NAME = "toancanh.qgz"
# drawing order, top first: points over lines over areas
DRAWN_FIRST = {"marker": 0, "line": 1, "fill": 2}
NOTE = {
    "vi": ("Dự án QGIS của Toàn Cảnh, tạo cho {user}. Các lớp đọc từ OGC API – Features tại {url} "
           "(thêm kết nối: Lớp ▸ Thêm lớp ▸ Thêm lớp WFS / OGC API – Features ▸ Mới, URL {url}). "
           "Các lớp cần đăng nhập dùng cấu hình xác thực có ID '{authcfg}': "
           "Cài đặt ▸ Tùy chọn ▸ Xác thực ▸ +, kiểu Basic, ID {authcfg}, tên và mật khẩu của bạn. "
           "Không điền tên và mật khẩu vào URL: QGIS không gửi chúng."),
    "en": ("Toàn Cảnh's QGIS project, made for {user}. Layers are read from OGC API – Features at {url} "
           "(to add the connection: Layer ▸ Add Layer ▸ Add WFS / OGC API – Features Layer ▸ New, "
           "URL {url}). Layers that need signing in use the authentication configuration with ID "
           "'{authcfg}': Settings ▸ Options ▸ Authentication ▸ +, type Basic, ID {authcfg}, your user "
           "name and password. Do not put them in the URL: QGIS does not send them."),
}


def signed_in_matters(layer: Layer, viewer: Viewer) -> bool:
    """Whether this viewer's answer for `layer` differs from an anonymous one (then QGIS signs in)."""
    anonymous = Viewer.of(AnonymousUser())
    if not anonymous.can_read(layer):
        return True
    return (viewer.readable_fields(layer) != anonymous.readable_fields(layer)
            or viewer.unit_scope(layer) is not None)


def datasource(layer: Layer, base_url: str, authenticated: bool) -> str:
    """QGIS's OAPIF data source: the layer by pages (as large as the server allows) within the view."""
    source = (f"pagingEnabled='true' preferCoordinatesForWfsT11='false' restrictToRequestBBOX='1' "
              f"typename='{layer.id}' url='{base_url}'")
    return f"authcfg={AUTHCFG} {source}" if authenticated else source


@lru_cache(maxsize=8)
def _wkt(authid: str) -> str:
    return CRS.from_user_input(authid).to_wkt()


def _crs(parent: ET.Element, tag: str, authid: str) -> None:
    """A CRS as QGIS reads one: its WKT (QGIS reads an authid alone only beside its own srsid)."""
    system = ET.SubElement(ET.SubElement(parent, tag), "spatialrefsys")
    system.append(_text("wkt", _wkt(authid)))
    system.append(_text("authid", authid))


def _text(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def _maplayer(layer: Layer, base_url: str, authenticated: bool, language: str) -> ET.Element:
    element = ET.Element("maplayer", type="vector", geometry=layer.geometry_type, autoRefreshEnabled="0",
                         labelsEnabled="1" if stylesheets.label_field(layer) else "0",
                         **stylesheets.scale_attributes(layer))
    title = layer.title_en if language == "en" else layer.title_vi
    description = (layer.description_en if language == "en" else layer.description_vi) or title
    for tag, text in (("id", layer.id), ("datasource", datasource(layer, base_url, authenticated)),
                      ("layername", title), ("abstract", description)):
        element.append(_text(tag, text))
    _crs(element, "srs", "EPSG:4326")
    ET.SubElement(element, "provider", encoding="UTF-8").text = "OAPIF"
    element.append(stylesheets.renderer(layer, language))
    if (labels := stylesheets.labeling(layer)) is not None:
        element.append(labels)
    return element


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(-85.0511, min(85.0511, lat))
    radius = 6_378_137.0
    return radius * math.radians(lon), radius * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _extent(layers: list[Layer]) -> tuple[float, float, float, float]:
    """Where the project opens: the data's extent of its layers, in Web Mercator."""
    box = extents.union(found.bbox for layer in layers if (found := extents.of(layer)).bbox) or VIETNAM_BBOX
    return (*_mercator(box[0], box[1]), *_mercator(box[2], box[3]))


def project_xml(viewer: Viewer, base_url: str, language: str = "vi", user: str = "") -> bytes:
    """The QGIS project (.qgs) of every layer `viewer` may read, served from `base_url` (…/ogc)."""
    layers = sorted((layer for layer in registry if viewer.can_read(layer)),
                    key=lambda layer: DRAWN_FIRST[stylesheets.symbol_kind(layer)])
    title = "Toàn Cảnh – " + ("Spatial data" if language == "en" else "Dữ liệu không gian")
    root = ET.Element("qgis", projectname=title, version=stylesheets.QGIS_VERSION)
    root.append(_text("title", title))
    _crs(root, "projectCrs", "EPSG:3857")
    tree = ET.SubElement(root, "layer-tree-group")
    projected = ET.SubElement(root, "projectlayers")
    for layer in layers:
        authenticated = signed_in_matters(layer, viewer)
        ET.SubElement(tree, "layer-tree-layer", id=layer.id, providerKey="OAPIF", checked="Qt::Checked",
                      expanded="0", name=layer.title_en if language == "en" else layer.title_vi,
                      source=datasource(layer, base_url, authenticated))
        projected.append(_maplayer(layer, base_url, authenticated, language))
    canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
    canvas.append(_text("units", "meters"))
    box = ET.SubElement(canvas, "extent")
    for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), _extent(layers), strict=True):
        box.append(_text(tag, f"{value:.3f}"))
    _crs(canvas, "destinationsrs", "EPSG:3857")
    projections = ET.SubElement(ET.SubElement(root, "properties"), "SpatialRefSys")
    ET.SubElement(projections, "ProjectionsEnabled", type="int").text = "1"  # else QGIS ignores projectCrs
    metadata = ET.SubElement(root, "projectMetadata")
    metadata.append(_text("title", title))
    note = NOTE[language].format(user=user or ("anonymous" if language == "en" else "khách"), url=base_url,
                                 authcfg=AUTHCFG)
    metadata.append(_text("abstract", note))
    metadata.append(_text("language", language))
    return stylesheets.DOCTYPE + ET.tostring(root, encoding="utf-8")


def project_qgz(viewer: Viewer, base_url: str, language: str = "vi", user: str = "") -> bytes:
    """The project as QGIS saves it: a zip holding the .qgs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FILE_NAME.replace(".qgz", ".qgs"), project_xml(viewer, base_url, language, user))
    return buffer.getvalue()
