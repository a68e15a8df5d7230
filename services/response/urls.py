"""Routes of response (mounted at /api/response/)."""

urlpatterns: list = []
