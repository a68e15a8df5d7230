#!/usr/bin/env bash
# The build steps of the production image, one per RUN line of the Dockerfile, run from the folder that
# holds the sources (/src in the map stage, /app in the application stage):
#   web-map-deps   npm ci of web_map/frontend (needs package.json and package-lock.json only)
#   web-map        glyphs and the Vite bundle into web_map/static/web_map (needs Debian's fonts-noto-core)
#   python-deps    pyproject.toml's dependencies, plus the extras in IOC_EXTRAS ("vision"), pinned by
#                  constraints.txt (needs only those two files, so the layer survives code changes)
#   app            the ioc command (editable install of the sources), collectstatic, and a check that the
#                  map wall's bundle and glyphs are among the collected static files
# tests/test_production_build.py runs the same steps, in the Dockerfile's order, in a scratch folder.
set -euo pipefail

FRONTEND=web_map/frontend
PY="${PYTHON:-python}"

web_map_deps() {
  (cd "$FRONTEND" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
}

web_map() {
  (cd "$FRONTEND" && npm run build --silent)
  test -f web_map/static/web_map/.vite/manifest.json || { echo "the map build wrote no manifest" >&2; exit 1; }
}

python_deps() {
  local requirements
  requirements="$(mktemp)"
  # pyproject.toml's own lists, read before the sources are copied in.
  "$PY" - "${IOC_EXTRAS:-}" >"$requirements" <<'EOF'
import sys
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = [name.strip() for name in sys.argv[1].split(",") if name.strip()]
unknown = sorted(set(extras) - set(project["optional-dependencies"]))
if unknown:
    sys.exit(f"IOC_EXTRAS names {unknown}; pyproject.toml declares {sorted(project['optional-dependencies'])}")
print(*project["dependencies"], sep="\n")
for name in extras:
    print(*project["optional-dependencies"][name], sep="\n")
EOF
  "$PY" -m pip install --quiet -c constraints.txt -r "$requirements"
  rm -f "$requirements"
}

app() {
  "$PY" -m pip install --quiet --no-deps -e .
  # collectstatic reads no database; the key only lets the settings load.
  IOC_SECRET_KEY=image-build "$PY" manage.py collectstatic --noinput -v0
  IOC_SECRET_KEY=image-build "$PY" - <<'EOF'
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
django.setup()
from django.conf import settings  # noqa: E402

from web_map.views import bundle  # noqa: E402

files = [*bundle()["scripts"], *bundle()["styles"], "glyphs/Noto Sans Regular/0-255.pbf"]
missing = [name for name in files if not (settings.STATIC_ROOT / "web_map" / name).is_file()]
if not bundle()["scripts"] or missing:
    sys.exit(f"the map wall is not among the static files in {settings.STATIC_ROOT}: missing {missing}")
EOF
}

case "${1:-}" in
  web-map-deps) web_map_deps ;;
  web-map) web_map ;;
  python-deps) python_deps ;;
  app) app ;;
  *) echo "usage: $0 web-map-deps|web-map|python-deps|app" >&2; exit 2 ;;
esac
