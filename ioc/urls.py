"""Top-level URL map: each architecture folder mounts its own routes here."""

from django.contrib import admin
from django.urls import include, path

from services.ogc import views as ogc_views
from spatial import session_api
from spatial.health import healthz
from tiles.raster.views import mapproxy
from vision import views as vision_views
from web_map import import_page

handler400 = "spatial.error_pages.bad_request"
handler500 = "spatial.error_pages.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("api/session", session_api.session_view),
    path("api/session/login", session_api.login),
    path("api/session/logout", session_api.logout),
    path("tiles/", include("tiles.urls")),
    path("media/vision/evidence/<path:name>", vision_views.evidence, name="vision-evidence"),
    path("media/vision/cameras/<int:camera_id>/latest.jpg", vision_views.latest_frame,
         name="vision-latest-frame"),
    path("mapproxy/", mapproxy, name="mapproxy"),
    path("mapproxy/<path:path>", mapproxy, name="mapproxy-path"),
    path("", include("web_map.urls")),
    path("ogc", ogc_views.landing),
    path("ogc/", include("services.ogc.urls")),
    path("open311/v2/", include("services.open311.urls")),
    path("api/feedback/", include("services.citizen.urls")),
    path("phan-anh/", include("web_map.citizen_urls")),
    path("api/desk/", include("services.desk.urls")),
    path("api/alerts/", include("services.alerts.urls")),
    path("api/response/", include("services.response.urls")),
    path("api/directives/", include("services.directives.urls")),
    path("api/hub/", include("services.hub.urls")),
    path("api/briefings/", include("briefings.urls")),
    path("", include("services.hub.reporting.pages")),
    path("", include("services.data_health.urls")),
    path("api/imports/", include("services.imports.urls")),
    path("nhap-du-lieu/", import_page.page, name="import-page"),
]
