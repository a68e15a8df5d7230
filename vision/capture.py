"""Frames from a video file or a live stream (RTSP/HTTP) at a sampling rate, reconnecting after drops.

A file's frame time is its index over the file's frame rate, so a replay gives the same times; a
live stream's is the wall clock, and the frames of an outage are simply not seen (the gap in the
stored timestamps says so).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision.errors import SourceError

logger = logging.getLogger(__name__)

# Short probing and a read timeout, so that a dead HTTP/RTSP stream is noticed within seconds.
os.environ.setdefault(
    "OPENCV_FFMPEG_CAPTURE_OPTIONS", "analyzeduration;300000|probesize;65536|timeout;3000000"
)


@dataclass(frozen=True)
class Frame:
    index: int  # frame number in the source (files) or since the run started (live)
    seconds: float  # since the start of the file, or Unix time for live streams
    image: np.ndarray


def is_live(source: str) -> bool:
    """A URL (rtsp://, http://, …) is live; a path to a file is not."""
    return "://" in source and not source.startswith("file://")


def _open(source: str) -> cv2.VideoCapture:
    capture = cv2.VideoCapture(source, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        capture.release()
        raise SourceError(f"cannot open video source {source!r}; check the path or URL and the camera")
    return capture


def file_frames(path: str | Path, sample_fps: float, start: int = 0) -> Iterator[Frame]:
    """Every due frame of a file from frame `start`: grab all, decode only those at the sampling rate."""
    capture = _open(str(path))
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or sample_fps
        step = max(1, round(fps / sample_fps))
        index = 0
        while index < start:  # CAP_PROP_POS_FRAMES seeks to keyframes: grab to land exactly
            if not capture.grab():
                return
            index += 1
        while capture.grab():
            if index % step == 0:
                ok, image = capture.retrieve()
                if not ok:
                    raise SourceError(f"{path}: frame {index} cannot be decoded")
                yield Frame(index, index / fps, image)
            index += 1
    finally:
        capture.release()


def live_frames(
    url: str, sample_fps: float, start: int = 0, max_backoff: float = 5.0, clock=time.time
) -> Iterator[Frame]:
    """Frames of a live stream, at most `sample_fps` a second; reopens with backoff (0.2 s → 5 s).

    Frame numbers go on from `start` (a resumed run's checkpoint), so that checkpoints keep moving forward.
    """
    index, backoff, due = start, 0.2, 0.0
    while True:
        try:
            capture = _open(url)
        except SourceError:
            logger.warning("stream %s unavailable; retrying in %.1f s", url, backoff)
            time.sleep(backoff)
            backoff = min(max_backoff, backoff * 2)
            continue
        backoff = 0.2
        while capture.grab():
            now = clock()
            if now >= due:
                ok, image = capture.retrieve()
                if ok:
                    due = now + 1.0 / sample_fps
                    yield Frame(index, now, image)
            index += 1
        capture.release()
        logger.warning("stream %s dropped after frame %d; reconnecting", url, index)


def frames(source: str, sample_fps: float, start: int = 0) -> Iterator[Frame]:
    """Frames of `source` (a file path or a stream URL) at `sample_fps`; files resume at frame `start`."""
    if is_live(source):
        return live_frames(source, sample_fps, start)
    if not Path(source.removeprefix("file://")).is_file():
        raise SourceError(f"video file {source!r} not found")
    return file_frames(source.removeprefix("file://"), sample_fps, start)


def prefetched(source: Iterator[Frame], depth: int = 4) -> Iterator[Frame]:
    """The same frames, decoded ahead in a thread (OpenCV releases the GIL while decoding)."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    end = object()

    def read() -> None:
        try:
            for frame in source:
                buffer.put(frame)
        except Exception as exc:  # noqa: BLE001  (handed to the consuming thread, which re-raises it)
            buffer.put(exc)
        buffer.put(end)

    threading.Thread(target=read, name="vision-decode", daemon=True).start()
    while (item := buffer.get()) is not end:
        if isinstance(item, Exception):
            raise item
        yield item
