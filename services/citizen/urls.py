"""Routes of the public citizen API (mounted at /api/feedback/)."""

from django.urls import path

from services.citizen import views

urlpatterns = [
    path("challenge", views.challenge, name="citizen-challenge"),
    path("reports", views.file, name="citizen-file"),
    path("reports/<str:code>", views.case, name="citizen-case"),
    path("reports/<str:code>/rating", views.rate, name="citizen-rating"),
    path("reports/<str:code>/reopen", views.reopen, name="citizen-reopen"),
]
