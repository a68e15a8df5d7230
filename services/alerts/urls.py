"""Routes of alerts (mounted at /api/alerts/)."""

urlpatterns: list = []
