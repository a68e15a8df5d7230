"""Routes of data entry and completeness (mounted under /api/hub/)."""

urlpatterns: list = []
