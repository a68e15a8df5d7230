"""Routes of the indicator hub (mounted at /api/hub/)."""

from django.urls import path

from services.hub import views

urlpatterns = [
    path("indicators", views.indicators, name="hub-indicators"),
    path("units", views.units, name="hub-units"),
    path("values", views.values, name="hub-values"),
]
