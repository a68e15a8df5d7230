#!/usr/bin/env bash
# Bring Toàn Cảnh up on the demo city: install, migrate, load the demo once, serve :8000.
#   scripts/up.sh            serve in the foreground (Ctrl-C stops)
#   scripts/up.sh --detach   serve in the background (log in var/server.log) and return
source "$(dirname "$0")/lib.sh"

# Camera AI demo: queue workers (restarted when they die) and the synthetic video playing live on a few
# demo cameras. Idempotent: a running supervisor is kept, cameras already playing are skipped.
start_vision_demo() {
  local pidfile="$ROOT/var/vision-worker.pid" cameras="${IOC_VISION_DEMO_CAMERAS:-3}"
  if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
    say "starting camera AI workers (log in var/vision-worker.log)"
    nohup ioc vision worker --processes "$cameras" >"$ROOT/var/vision-worker.log" 2>&1 &
    echo $! >"$pidfile"
  fi
  ioc vision demo --cameras "$cameras"
}

# The steady flow of citizen reports beside the cameras' video (democity.flow): a report every
# IOC_DEMO_FLOW_SECONDS (20) seconds, some moved along their workflow. Idempotent: a running flow is kept.
start_feedback_flow() {
  local pidfile="$ROOT/var/feedback-flow.pid"
  if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
    say "starting the citizen report flow (log in var/feedback-flow.log)"
    nohup ioc feedback_flow --every "${IOC_DEMO_FLOW_SECONDS:-20}" >"$ROOT/var/feedback-flow.log" 2>&1 &
    echo $! >"$pidfile"
  fi
}

# Notifications (e-mail, webhooks, MQTT) and the feedback deadlines: one queue worker, kept if it is already running.
start_notify_worker() {
  local pidfile="$ROOT/var/notify-worker.pid"
  if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
    say "starting the notification worker (log in var/notify-worker.log)"
    nohup ioc procrastinate worker --queues notify,feedback,alerts,directives,imports,briefings >"$ROOT/var/notify-worker.log" 2>&1 &
    echo $! >"$pidfile"
  fi
}

setup vision  # the production set, with the camera AI the demo runs
say "migrating the database"
ioc migrate --noinput -v0
ioc load_demo
ioc setup_roles --demo
ioc rasters --seed --seed-to 14   # orthophoto and zoning-plan COGs, MapProxy config and tile cache
ioc collectstatic --noinput -v0
ioc counts
start_vision_demo
start_feedback_flow
start_notify_worker
say "serving http://127.0.0.1:8000/"
if [ "${1:-}" = "--detach" ]; then
  nohup ioc serve --port 8000 >"$ROOT/var/server.log" 2>&1 &
  echo $! >"$ROOT/var/server.pid"
  for _ in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:8000/healthz && break; sleep 0.5; done
  say "running in the background (pid $(cat "$ROOT/var/server.pid"))"
else
  exec ioc serve --port 8000
fi
