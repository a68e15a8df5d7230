"""Routes of directives (mounted at /api/directives/)."""

urlpatterns: list = []
