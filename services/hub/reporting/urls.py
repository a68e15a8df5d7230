"""Routes of data entry and completeness (mounted under /api/hub/)."""

from django.urls import path

from services.hub.reporting import views

urlpatterns = [
    path("completeness", views.completeness_view, name="hub-completeness"),
    path("completeness/map", views.completeness_map, name="hub-completeness-map"),
    path("reports/<str:unit>/<str:period>", views.report, name="hub-report"),
    path("reports/<str:unit>/<str:period>/xlsx", views.report_xlsx, name="hub-report-xlsx"),
]
