"""Routes of the indicator hub (mounted at /api/hub/): the catalogue and figures here; data entry and
completeness in services.hub.reporting; what the leaders' views draw in services.hub.drawn."""

from django.urls import include, path

from services.hub import views
from services.hub.access import signed_in

urlpatterns = [
    path("indicators", signed_in(views.indicators), name="hub-indicators"),
    path("units", signed_in(views.units), name="hub-units"),
    path("values", signed_in(views.values), name="hub-values"),
    path("", include("services.hub.reporting.urls")),
    path("", include("services.hub.drawn.urls")),
]
