"""Top-level URL map: each architecture folder mounts its own routes here."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
