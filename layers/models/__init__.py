"""Every layer model, importable as layers.models.<Name>."""

from layers.models import declared  # noqa: F401  (first: models take their names from the catalog)
from layers.models.admin_units import AdminUnit
from layers.models.basemap import Road, WaterBody
from layers.models.buildings import Building
from layers.models.cameras import Camera
from layers.models.detections import Detection
from layers.models.events import CitizenReport, CitizenReporter, Incident, ReportPause
from layers.models.facilities import EnvStation, HealthFacility, Lodging, School, ServicePoint
from layers.models.history import FeatureHistory
from layers.models.lineage import ParcelLineage
from layers.models.observations import Observation
from layers.models.parcels import Parcel, ParcelOwner
from layers.models.refresh import LayerRefresh
from layers.models.units import ResponsibleUnit
from layers.models.waterways import Waterway
from layers.models.zoning import ZoningPlan

__all__ = [
    "AdminUnit",
    "Building",
    "Camera",
    "CitizenReport",
    "CitizenReporter",
    "Detection",
    "EnvStation",
    "FeatureHistory",
    "HealthFacility",
    "Incident",
    "LayerRefresh",
    "Lodging",
    "Observation",
    "Parcel",
    "ParcelLineage",
    "ParcelOwner",
    "ReportPause",
    "ResponsibleUnit",
    "Road",
    "School",
    "ServicePoint",
    "WaterBody",
    "Waterway",
    "ZoningPlan",
]
