"""Routes of the vector tiles (mounted at /tiles/)."""

from django.urls import path, register_converter

from tiles import views


class SignedInt:
    regex = "-?[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(SignedInt, "sint")

urlpatterns = [
    path("", views.catalog, name="tiles-catalog"),
    path("<str:layers>.json", views.tilejson, name="tilejson"),
    path("<str:layers>/<sint:z>/<sint:x>/<sint:y>.pbf", views.tile, name="tile"),
]
