"""Row counts of every registry layer and of the tables beside them, for people and tests."""

from __future__ import annotations

from layers.models import CitizenReporter, FeatureHistory, Observation, ParcelOwner
from layers.registry import registry


def layer_counts() -> dict[str, int]:
    """{layer id: number of features}, in registry order."""
    return {layer.id: layer.queryset().count() for layer in registry}


def table_counts() -> dict[str, int]:
    """Counts of the restricted attribute tables, observations and history."""
    return {
        "parcel_owners": ParcelOwner.objects.count(),
        "citizen_reporters": CitizenReporter.objects.count(),
        "observations": Observation.objects.count(),
        "history": FeatureHistory.objects.count(),
    }
