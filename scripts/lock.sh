#!/usr/bin/env bash
# Rewrites constraints.txt, the lock of Toàn Cảnh's Python packages: pip resolves every extra of
# pyproject.toml as if nothing were installed (a dry run, nothing changes in .venv) and the file pins
# each package it chose. Run it after changing a dependency in pyproject.toml, then run scripts/test.sh.
#   scripts/lock.sh            resolve with .venv's Python (Debian 12's 3.11)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$ROOT/constraints.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Rules the resolver starts from (kept at the top of the lock as well):
#   torch/torchvision: the CPU-capable pair the camera AI is tested with (2.13.0+cpu has no matching
#   torchvision); a newer release may be a different build of several GB.
#   opencv-python: never; the GUI build would sit beside the headless one and may pull OpenCV 5.
cat >"$work/rules.txt" <<'EOF'
torch==2.14.1
torchvision==0.29.1
opencv-python<0
EOF

"$PY" -m pip install --quiet --dry-run --ignore-installed --report "$work/report.json" \
  -c "$work/rules.txt" "$ROOT[test,bench,vision]" 2> >(grep -v "is ignored: it is neither a file" >&2)

version="$("$PY" -c 'import platform; print(platform.python_version())')"
{
  echo "# Lock of Toàn Cảnh's Python packages, written by scripts/lock.sh (do not edit by hand)."
  echo "# Every install passes it with -c: scripts/lib.sh (.venv), scripts/image_steps.sh (the image)."
  echo "# Resolved for Python $version on $(uname -m) with every extra (test, bench, vision)."
  echo "opencv-python<0"
  "$PY" - "$work/report.json" <<'EOF'
import json
import sys

report = json.load(open(sys.argv[1]))
pins = sorted(
    (item["metadata"]["name"], item["metadata"]["version"])
    for item in report["install"]
    if item["metadata"]["name"] != "toan-canh"
)
for name, version in sorted(pins, key=lambda pin: pin[0].lower()):
    print(f"{name}=={version}")
EOF
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(grep -c '==' "$OUT") pins)"
