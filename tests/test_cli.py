"""`ioc` answers what needs no application (the command list, a command's --help, wrong arguments)
before Django loads its apps, so in a fraction of the full start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# run `ioc ARGS` in a fresh interpreter, then say whether the app registry and pandas were loaded
_PROBE = """
import sys
sys.argv = ["ioc", *{args!r}]
from ioc.cli import main
try:
    main()
except SystemExit as exc:
    print("exit", exc.code)
from django.apps import apps
print("loaded", apps.ready, "pandas" in sys.modules)
"""


def ioc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _PROBE.format(args=list(args))], cwd=ROOT,
                          env=os.environ.copy(), capture_output=True, text=True, check=True, timeout=60)


def test_a_commands_help_and_the_command_list_load_no_app():
    answer = ioc("import", "--help")
    assert "--load-valid" in answer.stdout and "--refused FILE" in answer.stdout
    assert answer.stdout.rstrip().endswith("loaded False False")
    listing = ioc("help")
    assert "[etl]\n    import\n    layers" in listing.stdout
    assert listing.stdout.rstrip().endswith("loaded False False")


def test_wrong_import_arguments_are_refused_before_the_application_loads():
    answer = ioc("import", "parcels.gpkg")
    assert "the following arguments are required: --layer" in answer.stderr
    assert answer.stdout.split() == ["exit", "2", "loaded", "False", "False"]
