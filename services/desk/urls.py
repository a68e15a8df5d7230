"""Routes of the operator's feedback desk (mounted at /api/desk/)."""

from django.urls import path

from services.desk import views

urlpatterns = [
    path("reports", views.reports, name="desk-reports"),
    path("reports/<str:report_id>", views.report, name="desk-report"),
    path("units", views.units, name="desk-units"),
    path("assign", views.assign, name="desk-assign"),
    path("merge", views.merge, name="desk-merge"),
    path("hotline", views.hotline, name="desk-hotline"),
]
