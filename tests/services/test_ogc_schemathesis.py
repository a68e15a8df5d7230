"""schemathesis over the whole /ogc OpenAPI document finds no server error: reads as an anonymous
client, writes (create, replace, update, delete, split, merge, restore) as a land official, then
the stateful phase following the document's links (a created feature is read, patched, deleted).

CI runs a few examples per operation; a longer run is the same test with more, e.g.
`IOC_FUZZ_EXAMPLES=60 scripts/test.sh tests/services/test_ogc_schemathesis.py` (about 10 minutes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("IOC_FUZZ_EXAMPLES", "3"))  # CI: the whole run stays under 20 minutes


def schemathesis(server_url: str, folder: Path, *arguments: str) -> str:
    """Run the schemathesis CLI against the server's OpenAPI document; its summary."""
    cli = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(cli), "run", f"{server_url}/ogc/openapi?f=json", "--checks", "not_a_server_error",
         "--seed", "20251124", "--workers", "1", "--no-color", "--request-timeout", "60",
         "--generation-allow-x00", "true", *arguments],
        capture_output=True, text=True, timeout=3600, cwd=folder,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    summary = result.stdout[-4000:]
    assert "Server error" not in summary, summary
    assert result.returncode == 0, summary + result.stderr[-2000:]
    return summary


def test_anonymous_reads_of_every_operation_find_no_server_error(server_url, tmp_path):
    schemathesis(server_url, tmp_path, "--include-method", "GET", "--max-examples", str(EXAMPLES),
                 "--phases", "examples,coverage,fuzzing")


def test_a_land_officials_writes_and_their_follow_ups_find_no_server_error(server_url, tmp_path):
    schemathesis(server_url, tmp_path, "--auth", "diachinh.dongtam:toancanh-demo",
                 "--include-path-regex", "/collections/(parcels|zoning)/",
                 "--max-examples", str(EXAMPLES * 4), "--phases", "examples,coverage,fuzzing,stateful")
