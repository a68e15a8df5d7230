"""Routes of Open311 GeoReport v2 (mounted at /open311/v2/): each resource with its format suffix."""

from django.urls import path, re_path

from services.open311 import views

urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="open311-discovery"),
    path("services.<str:fmt>", views.services, name="open311-services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="open311-service"),
    path("requests.<str:fmt>", views.requests, name="open311-requests"),
    path("requests/<str:code>.<str:fmt>", views.one_request, name="open311-request"),
    path("tokens/<str:token>.<str:fmt>", views.token, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
