"""Routes of response (mounted at /api/response/; shapes in docs/response.md)."""

from django.urls import path

from services.response import views

urlpatterns = [
    path("incidents", views.incidents, name="response-incidents"),
    path("incidents/<str:incident_id>", views.incident, name="response-incident"),
    path("incidents/<str:incident_id>/steps/<str:step_id>/done", views.step_done, name="response-step-done"),
    path("incidents/<str:incident_id>/log", views.log, name="response-log"),
    path("incidents/<str:incident_id>/log/<str:entry_id>/photo", views.log_photo, name="response-log-photo"),
    path("incidents/<str:incident_id>/nearest", views.nearest, name="response-nearest"),
    path("sops", views.sops, name="response-sops"),
]
