"""Which object class (layers.vocabularies.OBJECT_CLASS code) each model class name means: one table."""

from __future__ import annotations

from layers.vocabularies import OBJECT_CLASS

# Model class names → OBJECT_CLASS codes: our own model's ASCII names and the COCO names a city's
# model may use. Classes not listed here are ignored.
MODEL_CLASS_TO_OBJECT = {
    "nguoi": "person",
    "xe_dap": "bicycle",
    "xe_may": "motorbike",
    "o_to": "car",
    "xe_buyt": "bus",
    "xe_tai": "truck",
    "person": "person",
    "bicycle": "bicycle",
    "motorcycle": "motorbike",
    "motorbike": "motorbike",
    "car": "car",
    "bus": "bus",
    "truck": "truck",
}

assert set(MODEL_CLASS_TO_OBJECT.values()) <= set(OBJECT_CLASS.codes)  # noqa: S101


def object_classes(model_names: dict[int, str] | list[str]) -> dict[int, str]:
    """Model class index → OBJECT_CLASS code, for the classes we keep."""
    items = model_names.items() if isinstance(model_names, dict) else enumerate(model_names)
    return {int(i): MODEL_CLASS_TO_OBJECT[name] for i, name in items if name in MODEL_CLASS_TO_OBJECT}


def label(code: str) -> str:
    """The Vietnamese label of an OBJECT_CLASS code (người, xe máy, …)."""
    return OBJECT_CLASS[code].vi
