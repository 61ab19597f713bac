# Shared by the bench/*.sh scripts (sourced): logging, and a throw-away `tstack up` on free
# loopback ports. Expects REPO to be set; sets TSTACK_PID, TSTACK_DIR, URL and the OS_* variables.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

TSTACK_PID=""
TSTACK_DIR=""

stop_tstack() {
  if [[ -n "$TSTACK_PID" ]] && kill -0 "$TSTACK_PID" 2>/dev/null; then
    log "stopping tstack (pid $TSTACK_PID)"
    kill -TERM "$TSTACK_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$TSTACK_PID" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$TSTACK_PID" 2>/dev/null && kill -KILL "$TSTACK_PID" 2>/dev/null || true
    wait "$TSTACK_PID" 2>/dev/null || true
  fi
  TSTACK_PID=""
  if [[ -n "$TSTACK_DIR" ]]; then rm -rf "$TSTACK_DIR"; TSTACK_DIR=""; fi
}

free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# Starts `tstack up` on free ports in a temp dir; sets URL and the OS_* credentials.
start_tstack() {
  [[ -f "$REPO/dist/cli/main.js" ]] || die "$REPO/dist is missing: run \`npm run build\` first"
  TSTACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tstack-bench-cloud.XXXXXX")"
  local port image_port
  port="$(free_port)"
  image_port="$(free_port)"
  while [[ "$image_port" == "$port" ]]; do image_port="$(free_port)"; done
  log "starting tstack up: identity 127.0.0.1:$port, image 127.0.0.1:$image_port (data dir $TSTACK_DIR)"
  TSTACK_IDENTITY__PORT="$port" TSTACK_IMAGE__PORT="$image_port" \
    node "$REPO/bin/tstack.js" up --data-dir "$TSTACK_DIR" --bind 127.0.0.1 >"$TSTACK_DIR.log" 2>&1 &
  TSTACK_PID=$!
  for _ in $(seq 1 240); do
    grep -q 'tstack ready' "$TSTACK_DIR.log" 2>/dev/null && break
    kill -0 "$TSTACK_PID" 2>/dev/null || { tail -n 30 "$TSTACK_DIR.log" >&2; rm -f "$TSTACK_DIR.log"; die "tstack up exited"; }
    sleep 0.25
  done
  if ! grep -q 'tstack ready' "$TSTACK_DIR.log"; then
    tail -n 30 "$TSTACK_DIR.log" >&2; rm -f "$TSTACK_DIR.log"; die "tstack up printed no 'tstack ready' within 60 s"
  fi
  rm -f "$TSTACK_DIR.log"
  # shellcheck disable=SC1091
  set -a; . "$TSTACK_DIR/openrc"; set +a
  export OS_USER_DOMAIN_ID=default OS_PROJECT_DOMAIN_ID=default
  URL="$OS_AUTH_URL"
}
