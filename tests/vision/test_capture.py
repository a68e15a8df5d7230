"""Capture: files resume at an exact frame; a live stream that drops is reopened and frames keep coming."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vision.capture import file_frames, frames, live_frames
from vision.errors import SourceError


def test_a_file_resumes_exactly_at_the_checkpointed_frame(acceptance_video):
    path, _truth = acceptance_video
    whole = [f for f, _ in zip(file_frames(path, 10.0), range(30), strict=False)]
    resumed = [f for f, _ in zip(file_frames(path, 10.0, start=20), range(10), strict=False)]
    assert [f.index for f in resumed] == list(range(20, 30))
    assert all((a.image == b.image).all() for a, b in zip(whole[20:], resumed, strict=True))


def test_sampling_keeps_every_nth_frame_with_file_times(acceptance_video):
    path, _truth = acceptance_video
    sampled = [f for f, _ in zip(file_frames(path, 2.5), range(4), strict=False)]
    assert [(f.index, f.seconds) for f in sampled] == [(0, 0.0), (4, 0.4), (8, 0.8), (12, 1.2)]


def test_a_missing_file_says_so():
    with pytest.raises(SourceError, match="not found"):
        frames("/nowhere/cam.avi", 10.0)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client closing mid-file (the stream reader reconnecting) is expected here."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """No access log."""


def _serve(folder, port: int = 0) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_dropped_live_stream_is_reopened_and_frame_numbers_go_on(acceptance_video, caplog):
    path, _truth = acceptance_video
    server = _serve(path.parent)
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/{path.name}"
    stream = live_frames(url, sample_fps=1000.0, start=500, max_backoff=0.4)
    first = next(stream)
    server.shutdown()
    server.server_close()
    restarted = threading.Timer(1.0, lambda: _serve(path.parent, port))
    restarted.start()
    began = time.monotonic()
    later = [next(stream) for _ in range(450)]  # more than the file holds: it was reopened at least once
    assert first.index == 500 and later[-1].index > 900
    assert "reconnecting" in caplog.text and time.monotonic() - began < 60
