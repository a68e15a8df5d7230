"""Routes of the citizens' pages (mounted at /phan-anh/): file a report, follow a case, its photos."""

from django.urls import path

from web_map import citizen_views

urlpatterns = [
    path("", citizen_views.report_form, name="citizen-form"),
    path("<str:code>", citizen_views.case_page, name="citizen-case-page"),
    path("<str:code>/anh/<int:number>", citizen_views.photo, name="citizen-photo"),
]
