"""Routes of the map wall (the page at / and the map's APIs under /api/)."""

from django.urls import path

from web_map import layers_api, live, stats_api, units_api, views

urlpatterns = [
    path("", views.index, name="map"),
    path("api/layers", layers_api.layers, name="map-layers"),
    path("api/units", units_api.units, name="map-units"),
    path("api/stats", stats_api.stats, name="map-stats"),
    path("api/live", live.live, name="map-live"),
]
