#!/usr/bin/env bash
# Run the whole test suite against a real PostGIS, plus ruff. Installs what is missing first.
source "$(dirname "$0")/lib.sh"
setup test,bench,vision  # every extra: the suite tests the camera AI too
say "ruff"
ruff check .
say "pytest"
pytest "$@"
