"""Routes of the briefings, mounted at /api/briefings/."""

from django.urls import path

from briefings import views

urlpatterns = [
    path("<str:kind>", views.briefing, name="briefing"),
]
