"""Routes of what the leaders' views draw: choropleths, rankings, trends, comparisons (under /api/hub/),
read by signed-in viewers as the rest of the hub (services.hub.access)."""

from django.urls import path

from services.hub.access import signed_in
from services.hub.drawn import views

urlpatterns = [
    path("choropleth", signed_in(views.choropleth), name="hub-choropleth"),
    path("ranking", signed_in(views.ranking), name="hub-ranking"),
    path("trend", signed_in(views.trend), name="hub-trend"),
    path("compare", signed_in(views.compare), name="hub-compare"),
]
