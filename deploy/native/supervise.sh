#!/usr/bin/env bash
# Sourced by run-stack.sh and run-production.sh: logging and the supervision of the servers they start.
# Needs LOGS (log folder), SCRIPT_NAME (prefix of messages), HOST and STARTUP_TIMEOUT set before sourcing.
# shellcheck disable=SC2034  # pids/names are read by the sourcing script

log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*"; }
die() {
  printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

# --- children: started in the background, stopped (TERM, then KILL after 15 s) in reverse order on any exit ---
pids=()
names=()

cleanup() {
  local status=$? i deadline
  trap - EXIT INT TERM HUP
  # Stopping must not depend on the terminal: Ctrl-C may already have closed a pipe we print to (| tee).
  set +e
  trap '' PIPE
  if ((${#pids[@]} > 0)); then
    log "stopping ${names[*]}"
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
      kill -TERM "${pids[i]}" 2>/dev/null || true
    done
    deadline=$((SECONDS + 15))
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
      while kill -0 "${pids[i]}" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
      done
      if kill -0 "${pids[i]}" 2>/dev/null; then
        log "${names[i]} did not stop in time, killing it"
        kill -KILL "${pids[i]}" 2>/dev/null || true
      fi
      wait "${pids[i]}" 2>/dev/null || true
    done
    log "stopped"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# start NAME DIR COMMAND...: runs COMMAND in DIR in the background, output appended to $LOGS/NAME.log.
# exec'd, so the recorded pid is the server's own; in its own session (setsid does not fork here: the subshell is
# no group leader), so Ctrl-C reaches only this script, which then stops the servers in reverse order.
start() {
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && exec setsid "$@") >>"$LOGS/$name.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  log "started $name (pid $!), log: $LOGS/$name.log"
}

# port_in_use PORT: 0 when something listens on HOST:PORT.
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# wait_until NAME WHAT CHECK...: runs CHECK until it succeeds for the last started process NAME (WHAT names what it
# waits for); stops everything with the tail of NAME's log when NAME exits or STARTUP_TIMEOUT seconds pass.
wait_until() {
  local name=$1 what=$2 pid=${pids[-1]} deadline=$((SECONDS + STARTUP_TIMEOUT))
  shift 2
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited during startup (log above: $LOGS/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name did not answer $what within ${STARTUP_TIMEOUT}s"
    fi
    sleep 0.3
  done
  log "$name answers $what"
}

# run_until_a_server_dies: waits until a signal arrives (the traps stop everything) or a server exits (then its log's
# tail is shown and the rest are stopped).
run_until_a_server_dies() {
  local status i
  while true; do
    status=0
    wait -n "${pids[@]}" || status=$?
    for i in "${!pids[@]}"; do
      if ! kill -0 "${pids[i]}" 2>/dev/null; then
        tail -n 30 "$LOGS/${names[i]}.log" >&2 || true
        die "${names[i]} exited (status $status); stopping the stack"
      fi
    done
  done
}
