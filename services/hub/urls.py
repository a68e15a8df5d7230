"""Routes of the indicator hub (mounted at /api/hub/): the catalogue and figures here; data entry and
completeness in services.hub.reporting; what the leaders' views draw in services.hub.drawn."""

from django.urls import include, path

from services.hub import views

urlpatterns = [
    path("indicators", views.indicators, name="hub-indicators"),
    path("units", views.units, name="hub-units"),
    path("values", views.values, name="hub-values"),
    path("", include("services.hub.reporting.urls")),
    path("", include("services.hub.drawn.urls")),
]
