"""Camera AI admin: calibrations entered and checked (reprojection error shown), rules, runs, incidents."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from vision.calibration import Calibration
from vision.errors import CalibrationError
from vision.models import CameraCalibration, CameraRule, StreamRun, ZoneIncident

POINT_KEYS = ("u", "v", "lon", "lat")


def parse_points(value: object) -> list[dict[str, float]]:
    """Reference points as a list of {"u", "v", "lon", "lat"} numbers; errors say which point is wrong."""
    if not isinstance(value, list):
        raise forms.ValidationError(
            'give a JSON list: [{"u": 120, "v": 300, "lon": 105.85, "lat": 21.03}, …]'
        )
    points = []
    for number, point in enumerate(value, start=1):
        if not isinstance(point, dict) or set(point) != set(POINT_KEYS):
            raise forms.ValidationError(f"point #{number} must have exactly the keys u, v, lon, lat")
        try:
            points.append({key: float(point[key]) for key in POINT_KEYS})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(f"point #{number}: u, v, lon and lat must be numbers") from exc
        if not (-180 <= points[-1]["lon"] <= 180 and -90 <= points[-1]["lat"] <= 90):
            raise forms.ValidationError(f"point #{number}: lon/lat out of range (lon first, then lat)")
    return points


class CalibrationForm(forms.ModelForm):
    """Validates the points by fitting the homography; the result is kept for `save`."""

    class Meta:
        model = CameraCalibration
        fields = ("camera", "reference_points")
        help_texts = {
            "reference_points": 'JSON: [{"u": pixel x, "v": pixel y, "lon": …, "lat": …}, …]; '
            "4 points fit exactly, 5 or more can be checked (leave-one-out)."
        }

    def clean_reference_points(self) -> list[dict[str, float]]:
        points = parse_points(self.cleaned_data["reference_points"])
        try:
            self.fitted = Calibration.from_points(
                [(p["u"], p["v"]) for p in points], [(p["lon"], p["lat"]) for p in points]
            )
        except CalibrationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return points

    def save(self, commit: bool = True) -> CameraCalibration:
        calibration = super().save(commit=False)
        calibration.fit()
        if commit:
            calibration.save()
        return calibration


@admin.register(CameraCalibration)
class CameraCalibrationAdmin(admin.ModelAdmin):
    form = CalibrationForm
    list_display = ("camera", "points", "reprojection_error_m", "check_error_m", "worst_point", "updated_at")
    readonly_fields = ("verdict", "reprojection_error_m", "check_error_m", "worst_point", "updated_at")
    autocomplete_fields = ()

    @admin.display(description="Số điểm")
    def points(self, obj: CameraCalibration) -> int:
        return len(obj.reference_points or [])

    @admin.display(description="Kiểm tra / check")
    def verdict(self, obj: CameraCalibration) -> str:
        calibration = obj.calibration
        return calibration.summary() if calibration else "—"


@admin.register(CameraRule)
class CameraRuleAdmin(GISModelAdmin):
    list_display = ("name", "camera", "kind", "seconds")
    list_filter = ("kind",)


@admin.register(StreamRun)
class StreamRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "camera",
        "source",
        "next_frame",
        "frames_done",
        "started_at",
        "finished_at",
        "updated_at",
    )
    readonly_fields = [f.name for f in StreamRun._meta.fields]


@admin.register(ZoneIncident)
class ZoneIncidentAdmin(admin.ModelAdmin):
    list_display = (
        "incident",
        "camera",
        "rule",
        "opened_at",
        "last_seen_at",
        "closed_at",
        "tracks",
        "evidence",
    )
    readonly_fields = [f.name for f in ZoneIncident._meta.fields]
