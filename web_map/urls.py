"""Routes of the map wall (the page at / and the map's APIs under /api/)."""

from django.urls import path

from web_map import layers_api, views

urlpatterns = [
    path("", views.index, name="map"),
    path("api/layers", layers_api.layers, name="map-layers"),
]
