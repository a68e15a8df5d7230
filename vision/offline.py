"""The only door to ultralytics: offline mode, settings and fonts inside the project, set before import.

ultralytics reaches for the network in several places (DNS probes, AutoUpdate, the Arial fonts it
downloads for every train/val and for non-ASCII labels). `ultralytics()` sets YOLO_OFFLINE=1, keeps
its settings under var/ultralytics and puts a bundled TTF where it looks for Arial, so none of that
happens. Import ultralytics only through this module.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from functools import cache
from pathlib import Path
from types import ModuleType

from spatial.config import STATE_DIR
from vision.errors import ModelError

logger = logging.getLogger(__name__)

CONFIG_DIR = STATE_DIR / "ultralytics"
FONT_NAMES = ("Arial.ttf", "Arial.Unicode.ttf")
# Debian's Noto (fonts-noto-core, installed by the setup) first, then matplotlib's DejaVu.
_SYSTEM_FONTS = (Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),)
_INTEGRATIONS_OFF = ("sync", "clearml", "comet", "dvc", "mlflow", "raytune", "tensorboard", "wandb")


def _bundled_font() -> Path:
    for path in _SYSTEM_FONTS:
        if path.exists():
            return path
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.exists():
            return path
    raise ModelError("no TTF font on disk for ultralytics; install fonts-noto-core or matplotlib")


def prepare_environment() -> Path:
    """Set the offline variables and install the fonts; returns the ultralytics config dir."""
    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("YOLO_CONFIG_DIR", str(CONFIG_DIR))
    fonts_dir = Path(os.environ["YOLO_CONFIG_DIR"]) / "Ultralytics"
    fonts_dir.mkdir(parents=True, exist_ok=True)
    source = None
    for name in FONT_NAMES:
        target = fonts_dir / name
        if not target.exists():
            source = source or _bundled_font()
            shutil.copyfile(source, target)
    return fonts_dir.parent


@cache
def ultralytics() -> ModuleType:
    """The ultralytics package, imported offline with its integrations switched off."""
    prepare_environment()
    import ultralytics as package
    from ultralytics.utils import SETTINGS

    wanted = dict.fromkeys(_INTEGRATIONS_OFF, False)
    if any(SETTINGS.get(key) is not False for key in wanted):
        SETTINGS.update(wanted)
    return package


def yolo(weights: str | Path, task: str = "detect"):
    """A YOLO model from a local file only (a .yaml, .pt or .onnx path), never a hub name."""
    path = Path(weights)
    if not path.is_file():
        raise ModelError(
            f"model file {path} not found; give a local .pt/.onnx/.yaml path "
            "(IOC_VISION_WEIGHTS) or train one with `ioc vision train`"
        )
    return ultralytics().YOLO(str(path.resolve()), task=task)
