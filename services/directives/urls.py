"""Routes of directives (mounted at /api/directives/)."""

from django.urls import path

from services.directives import views

urlpatterns = [
    path("", views.directives, name="directives"),
    path("units", views.units, name="directive-units"),
    path("summary", views.figures, name="directive-summary"),
    path("<int:directive_id>", views.directive, name="directive"),
    path("<int:directive_id>/photos/<int:number>", views.photo, name="directive-photo"),
    path("<int:directive_id>/<str:name>", views.move, name="directive-move"),
]
