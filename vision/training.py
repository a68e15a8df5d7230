"""Train the shipped "pico" YOLO on synthetic scenes under a time budget, then export .pt and .onnx.

`ioc vision train --minutes 25 --seed 0` made the shipped model (docs/vision.md; its validation
figures are in docs/benchmarks.md). Everything stays on disk: the dataset under
var/vision/dataset, the run under var/vision/runs, the results copied to vision/models/.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from spatial.config import STATE_DIR
from vision.offline import yolo
from vision.synthetic.dataset import write_dataset

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
ARCHITECTURE = MODELS_DIR / "pico.yaml"
SHIPPED_NAME = "toancanh-pico"
EXPORT_SIZE = (192, 320)  # fixed 16:9 input (height, width) for ONNX Runtime


@dataclass(frozen=True)
class TrainingPlan:
    """How much to train: dataset size, image size and a time budget (minutes; 0 = epochs only)."""

    train_images: int = 1500
    val_images: int = 200
    imgsz: int = 256
    epochs: int = 60
    minutes: float = 20.0
    seed: int = 0
    batch: int = 16
    threads: int = 2

    @classmethod
    def smoke(cls, seed: int = 0) -> TrainingPlan:
        """One short epoch on a tiny set: checks the whole path in seconds (CI)."""
        return cls(train_images=64, val_images=16, imgsz=160, epochs=1, minutes=0, seed=seed, batch=16)


def train(
    plan: TrainingPlan,
    work_dir: Path = STATE_DIR / "vision",
    output: Path = MODELS_DIR,
    name: str = SHIPPED_NAME,
) -> dict[str, Path | float]:
    """Generate the dataset, train, export; returns the .pt/.onnx paths and the validation mAP50."""
    import torch

    torch.set_num_threads(plan.threads)
    data = write_dataset(
        work_dir / f"dataset-{plan.train_images}-{plan.seed}", plan.train_images, plan.val_images, plan.seed
    )
    model = yolo(ARCHITECTURE)
    options = {"time": plan.minutes / 60} if plan.minutes else {}
    model.train(
        data=str(data),
        imgsz=plan.imgsz,
        epochs=plan.epochs,
        batch=plan.batch,
        workers=0,
        device="cpu",
        amp=False,
        plots=False,
        cache="ram",
        pretrained=False,
        seed=plan.seed,
        deterministic=False,
        project=str((work_dir / "runs").resolve()),
        name=name,
        exist_ok=True,
        verbose=False,
        **options,
    )
    best = Path(model.trainer.best)
    metrics = yolo(best).val(
        data=str(data),
        imgsz=plan.imgsz,
        batch=plan.batch,
        device="cpu",
        plots=False,
        workers=0,
        verbose=False,
        project=str((work_dir / "runs").resolve()),
        name=f"{name}-val",
        exist_ok=True,
    )
    output.mkdir(parents=True, exist_ok=True)
    pt = output / f"{name}.pt"
    shutil.copyfile(best, pt)
    onnx = export_onnx(pt)
    map50 = float(metrics.box.map50)
    logger.info("trained %s: mAP50 %.3f, mAP50-95 %.3f", name, map50, float(metrics.box.map))
    return {"pt": pt, "onnx": onnx, "map50": map50, "map50_95": float(metrics.box.map)}


def export_onnx(weights: Path, size: tuple[int, int] = EXPORT_SIZE) -> Path:
    """Export `weights` (.pt) to ONNX beside it, at a fixed (height, width) input."""
    exported = Path(yolo(weights).export(format="onnx", imgsz=list(size), simplify=True, device="cpu"))
    target = weights.with_suffix(".onnx")
    if exported != target:
        shutil.move(exported, target)
    return target
