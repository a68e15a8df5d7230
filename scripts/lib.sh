# Shared steps of scripts/up.sh and scripts/test.sh: install what is missing, find a database.
# Every step is idempotent: a second run checks and skips.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
APT_PACKAGES=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting gdal-bin libgdal-dev binutils
              libproj-dev proj-bin chromium fonts-noto-core wrk mosquitto python3-qgis qgis-providers poppler-utils)
PG_BIN=/usr/lib/postgresql/15/bin

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

install_system_packages() {
  local missing=() installed
  # one dpkg-query for all of them (one per package took most of a second)
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)"
  for pkg in "${APT_PACKAGES[@]}"; do
    grep -qx "$pkg install ok installed" <<<"$installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# .venv: Toàn Cảnh (editable) with the extras asked for ("test,bench,vision" for scripts/test.sh, "vision"
# for scripts/up.sh), every package pinned by constraints.txt. Skipped when pyproject.toml and the lock are
# unchanged since the last install and that install covered the extras asked for.
install_python() {
  local extras="$1" stamp="$VENV/.install.stamp" want have_hash have_extras missing
  [ -x "$PY" ] || { say "creating .venv"; python3 -m venv "$VENV"; }
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
  [ -f "$stamp" ] && read -r have_hash have_extras <"$stamp"
  missing="$(comm -23 <(tr , '\n' <<<"$extras" | sort -u) <(tr , '\n' <<<"${have_extras:-}" | sort -u))"
  if [ "${have_hash:-}" != "$want" ] || [ -n "$missing" ]; then
    say "pip install -c constraints.txt -e .[$extras]"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT${extras:+[$extras]}"
    if [ "${have_hash:-}" = "$want" ]; then  # same lock: what was installed before is still there
      extras="$(tr , '\n' <<<"$extras,$have_extras" | grep -v '^$' | sort -u | paste -sd,)"
    fi
    echo "$want $extras" >"$stamp"
  fi
}

# A PostgreSQL server: DATABASE_URL if set, else 127.0.0.1:5432, else a private cluster in var/
# (IOC_PRIVATE_DB=1 asks for the private cluster even when a server answers on 5432).
ensure_database() {
  if [ -z "${DATABASE_URL:-}" ]; then
    if [ -z "${IOC_PRIVATE_DB:-}" ] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 5432; then
      export DATABASE_URL="postgres://postgres@127.0.0.1:5432/toancanh"
    else
      start_private_cluster
      export DATABASE_URL="postgres://postgres@127.0.0.1:5433/toancanh"
    fi
  fi
  "$PY" - <<'PYEOF'
import os, psycopg
from spatial.config import DatabaseConfig
db = DatabaseConfig.from_url(os.environ["DATABASE_URL"])
admin = DatabaseConfig(name="postgres", user=db.user, password=db.password, host=db.host, port=db.port)
with psycopg.connect(admin.as_url(), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name]).fetchone():
        conn.execute(f'CREATE DATABASE "{db.name}"')
with psycopg.connect(db.as_url(), autocommit=True) as conn:
    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
PYEOF
}

start_private_cluster() {
  local data="$ROOT/var/pgdata" run_as=()
  mkdir -p "$ROOT/var"
  if [ "$(id -u)" -eq 0 ]; then run_as=(runuser -u postgres --); chown postgres "$ROOT/var"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "initialising a private PostgreSQL cluster in var/pgdata"
    "${run_as[@]}" "$PG_BIN/initdb" --no-instructions -D "$data" -U postgres --auth=trust >/dev/null
  fi
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 5433; then
    say "starting the private cluster on 127.0.0.1:5433"
    "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p 5433 -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  fi
}

# The MQTT broker the notifications publish to (IOC_MQTT_URL, default mqtt://127.0.0.1:1883): when that is
# the broker and nothing answers on 127.0.0.1:1883, a Mosquitto is started there (log in var/mosquitto.log).
# Another IOC_MQTT_URL, or an empty one (MQTT off), is left alone.
ensure_mqtt() {
  [ "${IOC_MQTT_URL-mqtt://127.0.0.1:1883}" = "mqtt://127.0.0.1:1883" ] || return 0
  (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && return 0
  say "starting Mosquitto (MQTT) on 127.0.0.1:1883"
  mkdir -p "$ROOT/var"
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\n' >"$ROOT/var/mosquitto.conf"
  nohup /usr/sbin/mosquitto -c "$ROOT/var/mosquitto.conf" >"$ROOT/var/mosquitto.log" 2>&1 &
  echo $! >"$ROOT/var/mosquitto.pid"
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && return 0; sleep 0.1; done
  echo "Mosquitto did not start on 127.0.0.1:1883: $(tail -3 "$ROOT/var/mosquitto.log")" >&2
  exit 1
}

# The map wall's bundle (MapLibre, glyphs) from web_map/frontend: npm ci, then vite build; both
# are skipped when their inputs have not changed.
build_web_map() {
  local app="$ROOT/web_map/frontend" out="$ROOT/web_map/static/web_map" want
  local major minor
  IFS=. read -r major minor _ <<<"$(node --version 2>/dev/null | tr -d v)"
  if [ -z "${major:-}" ] || [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "Node.js >= 20.19 is needed to build the map (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
  fi
  want="$(sha256sum "$app/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$app/node_modules/.lock.sha" 2>/dev/null)" != "$want" ]; then
    say "npm ci (web_map)"
    (cd "$ROOT" && scripts/image_steps.sh web-map-deps 2>&1 | grep -v "Unknown user config" || true)
    [ -d "$app/node_modules/vite" ] || { echo "npm ci failed in web_map/frontend" >&2; exit 1; }
    echo "$want" >"$app/node_modules/.lock.sha"
  fi
  want="$(cd "$app" && { cat package-lock.json vite.config.js; find src scripts public -type f -not -path 'public/glyphs/*' | sort | xargs cat; } \
          | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$out/.build.sha" 2>/dev/null)" != "$want" ]; then
    say "building the map (vite)"
    (cd "$ROOT" && scripts/image_steps.sh web-map 2>&1 | grep -v "Unknown user config" || true)
    [ -f "$out/.vite/manifest.json" ] || { echo "the map build failed (web_map/frontend)" >&2; exit 1; }
    echo "$want" >"$out/.build.sha"
  fi
}

# setup EXTRAS: everything the two README commands need, with pyproject.toml's extras EXTRAS.
setup() {
  install_system_packages
  install_python "$1"
  build_web_map
  ensure_database
  ensure_mqtt
  export PATH="$VENV/bin:$PATH"
  cd "$ROOT"
}
