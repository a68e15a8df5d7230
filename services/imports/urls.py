"""Routes of the browser import (mounted at /api/imports/)."""

from django.urls import path

from services.imports import views

urlpatterns = [
    path("", views.imports, name="imports"),
    path("<str:upload_id>", views.upload, name="import-upload"),
    path("<str:upload_id>/columns", views.columns, name="import-columns"),
    path("<str:upload_id>/dry-run", views.dry_run, name="import-dry-run"),
    path("<str:upload_id>/load", views.load, name="import-load"),
    path("<str:upload_id>/refused", views.refused, name="import-refused"),
]
