"""Routes of alerts (mounted at /api/alerts/); shapes in docs/alerts.md."""

from django.urls import path

from services.alerts import pinned_views, views

urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("pinned", pinned_views.pinned_events, name="pinned-events"),
    path("pinned/<str:layer_id>/<str:feature_id>/acknowledge", pinned_views.acknowledge_event,
         name="pinned-event-acknowledge"),
    path("cap.atom", views.atom_feed, name="alerts-atom"),
    path("cap.rss", views.rss_feed, name="alerts-rss"),
    path("<str:alert_id>.cap", views.cap_document, name="alert-cap"),
    path("<str:alert_id>/acknowledge", views.acknowledge, name="alert-acknowledge"),
    path("<str:alert_id>", views.alert, name="alert"),
]
