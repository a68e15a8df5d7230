"""Routes of the citizens' pages (mounted at /phan-anh/): file a report, follow a case."""

urlpatterns: list = []
