"""Routes of what the leaders' views draw: choropleths, rankings, trends, comparisons (under /api/hub/)."""

from django.urls import path

from services.hub.drawn import views

urlpatterns = [
    path("choropleth", views.choropleth, name="hub-choropleth"),
    path("ranking", views.ranking, name="hub-ranking"),
    path("trend", views.trend, name="hub-trend"),
    path("compare", views.compare, name="hub-compare"),
]
