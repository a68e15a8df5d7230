"""Routes of what the leaders' views draw: choropleths, rankings, trends, comparisons (under /api/hub/)."""

urlpatterns: list = []
