"""Routes of data health (mounted at /api/data-health and /suc-khoe-du-lieu/ by ioc.urls)."""

from django.urls import path

from services.data_health import views

urlpatterns = [
    path("api/data-health", views.data_health, name="data-health"),
    path("suc-khoe-du-lieu/", views.data_health_page, name="data-health-page"),
]
