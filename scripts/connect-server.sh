# Sourced by scripts/notebook and scripts/notebook-test: start `tributary connect` in the background and wait
# until it listens; the caller traps EXIT with stop_connect (or a cleanup that calls it).
#   start_connect LOGFILE [connect options...]    sets CONNECT_PID and CONNECT_URL
start_connect() {
  local log="$1"; shift
  "$TRIBUTARY_HOME_DIR/scripts/tributary" connect "$@" >"$log" 2>&1 &
  CONNECT_PID=$!
  local waited=0
  until CONNECT_URL="$(sed -n 's/^Spark Connect server listening at \(sc:\/\/[^ ]*\).*/\1/p' "$log")" && [ -n "$CONNECT_URL" ]; do
    if ! kill -0 "$CONNECT_PID" 2>/dev/null; then
      echo "error: tributary connect stopped before listening; its output ($log):" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$waited" -ge "${TRIBUTARY_CONNECT_WAIT:-600}" ]; then
      echo "error: tributary connect did not listen within ${waited}s; its output is in $log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

stop_connect() {
  if [ -n "${CONNECT_PID:-}" ] && kill -0 "$CONNECT_PID" 2>/dev/null; then
    kill -TERM "$CONNECT_PID" 2>/dev/null || true
    wait "$CONNECT_PID" 2>/dev/null || true
  fi
}
