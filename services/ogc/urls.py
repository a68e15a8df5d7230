"""Routes of the OGC APIs (mounted at /ogc)."""

from django.urls import path

from services.editing import views as editing
from services.editing.csrf import csrf_checked
from services.ogc import views

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("openapi", views.openapi, name="ogc-openapi"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:dataset>", views.collections, name="ogc-collection"),
    path("collections/<str:dataset>/queryables", views.queryables),
    path("collections/<str:dataset>/schema", views.schema),
    path("collections/<str:dataset>/items", views.items, name="ogc-items"),
    path("collections/<str:dataset>/items/<str:identifier>", views.item, name="ogc-item"),
    path("collections/<str:dataset>/items/<str:identifier>/history", editing.history),
    path("collections/<str:dataset>/items/<str:identifier>/history/<str:entry>/restore",
         csrf_checked(editing.restore)),
    path("collections/<str:dataset>/items/<str:identifier>/lineage", editing.lineage),
    path("collections/<str:dataset>/items/<str:identifier>/split", csrf_checked(editing.split)),
    path("collections/<str:dataset>/merge", csrf_checked(editing.merge)),
    path("collections/<str:dataset>/styles", views.styles, name="ogc-styles"),
    path("collections/<str:dataset>/styles/<str:style_id>", views.style, name="ogc-style"),
    path("qgis/toancanh.qgz", views.qgis_project, name="ogc-qgis-project"),
    path("collections/<str:dataset>/tiles", views.collection_tilesets),
    path("collections/<str:dataset>/tiles/<str:tms>", views.collection_tileset),
    path("collections/<str:dataset>/tiles/<str:tms>/<int:z>/<int:y>/<int:x>", views.collection_tile),
    path("TileMatrixSets", views.tile_matrix_sets),
    path("TileMatrixSets/<str:tms>", views.tile_matrix_sets),
]
