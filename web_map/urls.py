"""Routes of the map wall (the page at / and the map's APIs under /api/)."""

from django.urls import path

from web_map import layers_api, live, metrics_api, search, stats_api, trend, units_api, views

urlpatterns = [
    path("", views.index, name="map"),
    path("api/layers", layers_api.layers, name="map-layers"),
    path("api/units", units_api.units, name="map-units"),
    path("api/search", search.search, name="map-search"),
    path("api/stats", stats_api.stats, name="map-stats"),
    path("api/trend", trend.trend, name="map-trend"),
    path("api/live", live.live, name="map-live"),
    path("api/indicators", metrics_api.indicators, name="map-indicators"),
    path("api/metrics/<str:layer_id>/<str:code>", metrics_api.metrics, name="map-metrics"),
]
