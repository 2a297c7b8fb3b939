#!/usr/bin/env bash
# Runs the PerfOtel stack without Docker, every server on 127.0.0.1, until Ctrl-C (or SIGTERM) stops it all.
#   deploy/native/run-stack.sh
# Same configs as docker-compose.yml: prometheus/ and deploy/alertmanager/ are rendered into .run/ with the compose
# host names replaced by loopback addresses and /run/perfotel/ by .run/secrets/. State lives in .run/ (gitignored):
#   .run/secrets/api-key                  the collector's API key (the collector generates it on first start)
#   .run/secrets/alertmanager/            slack_api_url, smtp_password (created empty; fill them to get notifications)
#   .run/secrets/grafana-admin-password   generated once (only when Grafana is installed)
#   .run/{prometheus,alertmanager,grafana}/   rendered configs and data;  .run/logs/NAME.log   each server's output
# Environment:
#   PERFOTEL_COLLECTOR_PORT (8080), PERFOTEL_PROMETHEUS_PORT (9090), PERFOTEL_ALERTMANAGER_PORT (9093),
#   PERFOTEL_NODE_EXPORTER_PORT (9100), PERFOTEL_GRAFANA_PORT (3000)
#   PERFOTEL_RUN_DIR (.run)       where state goes
#   PERFOTEL_SKIP_BUILD=1         run the collector as last built (no dotnet build)
#   PERFOTEL_GRAFANA_HOME         Grafana's home path (default: found next to grafana-server, or /usr/share/grafana)
#   PERFOTEL_STARTUP_TIMEOUT (90) seconds each server gets to answer
#   PERFOTEL_DEMO=1               also run the demo fleet (src/PerfOtel.DemoFleet) on PERFOTEL_DEMO_PORT (8099): simulated
#                                 agents, their probed components and budgets; PERFOTEL_DEMO_* tune it (README "Demo fleet")
#   PERFOTEL_PROFILE=production   the production profile instead (deploy/native/run-production.sh, docs/PRODUCTION.md):
#                                 2 Prometheus replicas, 3 Alertmanager peers, VictoriaMetrics, TLS and basic auth
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${PERFOTEL_PROFILE:-demo}" in
  production) exec bash "$ROOT/deploy/native/run-production.sh" "$@" ;;
  demo | "") ;;
  *) printf 'run-stack: PERFOTEL_PROFILE must be demo or production, not %s\n' "$PERFOTEL_PROFILE" >&2 && exit 2 ;;
esac
RUN="${PERFOTEL_RUN_DIR:-$ROOT/.run}"
SECRETS="$RUN/secrets"
LOGS="$RUN/logs"
HOST=127.0.0.1
COLLECTOR_PORT="${PERFOTEL_COLLECTOR_PORT:-8080}"
PROMETHEUS_PORT="${PERFOTEL_PROMETHEUS_PORT:-9090}"
ALERTMANAGER_PORT="${PERFOTEL_ALERTMANAGER_PORT:-9093}"
NODE_EXPORTER_PORT="${PERFOTEL_NODE_EXPORTER_PORT:-9100}"
GRAFANA_PORT="${PERFOTEL_GRAFANA_PORT:-3000}"
DEMO="${PERFOTEL_DEMO:-0}"
DEMO_PORT="${PERFOTEL_DEMO_PORT:-8099}"
STARTUP_TIMEOUT="${PERFOTEL_STARTUP_TIMEOUT:-90}"

SCRIPT_NAME=run-stack
# shellcheck source-path=SCRIPTDIR source=supervise.sh
source "$ROOT/deploy/native/supervise.sh"

# http_ok PORT PATH: 0 when GET answers 2xx. Plain bash (/dev/tcp), so curl is not required.
http_ok() {
  (
    exec 3<>"/dev/tcp/$HOST/$1"
    printf 'GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$2" "$HOST" "$1" >&3
    read -r -t 5 _ code _ <&3
    [[ $code == 2[0-9][0-9] ]]
  ) 2>/dev/null
}

# wait_for NAME PORT PATH: until the last started process NAME answers http://HOST:PORT/PATH with 2xx.
wait_for() { wait_until "$1" "http://$HOST:$2$3" http_ok "$2" "$3"; }

# Replacement text for sed: escape the delimiter, & and backslashes.
sed_escape() { printf '%s' "$1" | sed -e 's/[#&\\]/\\&/g'; }

# render FILE...: compose host names -> loopback, container paths -> .run/ paths (in place, on the copies).
render() {
  local secrets etc_prom etc_am dashboards
  secrets="$(sed_escape "$SECRETS/")"
  etc_prom="$(sed_escape "$RUN/prometheus/config/")"
  etc_am="$(sed_escape "$RUN/alertmanager/config/")"
  dashboards="$(sed_escape "$ROOT/grafana/dashboards")"
  sed -E -i \
    -e "s#(^|[^[:alnum:]_.-])collector:8080#\\1$HOST:$COLLECTOR_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])prometheus:9090#\\1$HOST:$PROMETHEUS_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])alertmanager:9093#\\1$HOST:$ALERTMANAGER_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])node-exporter:9100#\\1$HOST:$NODE_EXPORTER_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])grafana:3000#\\1$HOST:$GRAFANA_PORT#g" \
    -e "s#/run/perfotel/#$secrets#g" \
    -e "s#/etc/prometheus/#$etc_prom#g" \
    -e "s#/etc/alertmanager/#$etc_am#g" \
    -e "s#/etc/grafana/dashboards/perfotel#$dashboards#g" \
    "$@"
}

# copy_config SRC DST: fresh copy of a config folder (without a local secrets/ folder), YAML files rendered.
copy_config() {
  local src=$1 dst=$2
  rm -rf "$dst"
  mkdir -p "$dst"
  find "$src" -mindepth 1 -maxdepth 1 ! -name secrets -exec cp -R {} "$dst/" \;
  local files=()
  mapfile -t files < <(find "$dst" -type f \( -name '*.yml' -o -name '*.yaml' \))
  if ((${#files[@]} > 0)); then
    render "${files[@]}"
  fi
}

random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# --- 1. tools ---
"$ROOT/deploy/native/install-deps.sh"
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH"

grafana_home=""
if command -v grafana-server >/dev/null 2>&1; then
  for candidate in "${PERFOTEL_GRAFANA_HOME:-}" \
    "$(dirname "$(readlink -f "$(command -v grafana-server)")")/.." /usr/share/grafana; do
    if [[ -n $candidate && -f $candidate/conf/defaults.ini ]]; then
      grafana_home="$(cd "$candidate" && pwd)"
      break
    fi
  done
  [[ -n $grafana_home ]] || die "grafana-server found but not its home (conf/defaults.ini): set PERFOTEL_GRAFANA_HOME"
fi

# --- 2. ports: fail before starting anything ---
ports=("collector $COLLECTOR_PORT PERFOTEL_COLLECTOR_PORT" "prometheus $PROMETHEUS_PORT PERFOTEL_PROMETHEUS_PORT"
  "alertmanager $ALERTMANAGER_PORT PERFOTEL_ALERTMANAGER_PORT" "node_exporter $NODE_EXPORTER_PORT PERFOTEL_NODE_EXPORTER_PORT")
[[ -n $grafana_home ]] && ports+=("grafana $GRAFANA_PORT PERFOTEL_GRAFANA_PORT")
[[ $DEMO == 1 ]] && ports+=("demo-fleet $DEMO_PORT PERFOTEL_DEMO_PORT")
for entry in "${ports[@]}"; do
  read -r name port variable <<<"$entry"
  if port_in_use "$port"; then
    die "port $port ($name) is already in use on $HOST: stop what listens there (another run-stack.sh, or a system service) or set $variable"
  fi
done

# --- 3. state, secrets, configs ---
mkdir -p "$LOGS" "$RUN/prometheus/data" "$RUN/alertmanager/data"
(umask 077 && mkdir -p "$SECRETS/alertmanager")
chmod 0700 "$SECRETS" "$SECRETS/alertmanager"
for f in slack_api_url smtp_password; do
  # Alertmanager reads these when it sends: empty files only fail those receivers (logged).
  [[ -e $SECRETS/alertmanager/$f ]] || (umask 077 && : >"$SECRETS/alertmanager/$f")
done

copy_config "$ROOT/prometheus" "$RUN/prometheus/config"
copy_config "$ROOT/deploy/alertmanager" "$RUN/alertmanager/config"
promtool check config "$RUN/prometheus/config/prometheus.yml" >"$LOGS/promtool.log" 2>&1 ||
  die "rendered prometheus.yml is invalid: $(cat "$LOGS/promtool.log")"
amtool check-config "$RUN/alertmanager/config/alertmanager.yml" >"$LOGS/amtool.log" 2>&1 ||
  die "rendered alertmanager.yml is invalid: $(cat "$LOGS/amtool.log")"

# --- 4. collector build ---
collector_project="$ROOT/src/PerfOtel.Collector/PerfOtel.Collector.csproj"
if [[ ${PERFOTEL_SKIP_BUILD:-} != 1 ]]; then
  log "building the collector (dotnet build -c Release)"
  dotnet build -c Release -nologo -v quiet -clp:NoSummary "$collector_project"
fi
collector_dll="$(dotnet msbuild "$collector_project" -getProperty:TargetPath -p:Configuration=Release)"
[[ -f $collector_dll ]] || die "collector not built: $collector_dll is missing (unset PERFOTEL_SKIP_BUILD)"
if [[ $DEMO == 1 ]]; then
  demo_project="$ROOT/src/PerfOtel.DemoFleet/PerfOtel.DemoFleet.csproj"
  if [[ ${PERFOTEL_SKIP_BUILD:-} != 1 ]]; then
    log "building the demo fleet (dotnet build -c Release)"
    dotnet build -c Release -nologo -v quiet -clp:NoSummary "$demo_project"
  fi
  demo_dll="$(dotnet msbuild "$demo_project" -getProperty:TargetPath -p:Configuration=Release)"
  [[ -f $demo_dll ]] || die "demo fleet not built: $demo_dll is missing (unset PERFOTEL_SKIP_BUILD)"
fi

# --- 5. servers, each waited for before the next ---
start node_exporter "$RUN" prometheus-node-exporter --web.listen-address="$HOST:$NODE_EXPORTER_PORT"
wait_for node_exporter "$NODE_EXPORTER_PORT" /

# Run from its output folder: that is the content root where appsettings.json is found.
# The demo fleet's components and budgets (indices 10+, as in docker-compose.override.yml).
demo_collector_env=()
if [[ $DEMO == 1 ]]; then
  i=10
  for component in tool-gateway vector-store model-proxy; do
    demo_collector_env+=("PerfOtel__Probes__Components__${i}__Name=$component" "PerfOtel__Probes__Components__${i}__Kind=http"
      "PerfOtel__Probes__Components__${i}__Url=http://$HOST:$DEMO_PORT/components/$component/health")
    i=$((i + 1))
  done
  demo_collector_env+=(
    PerfOtel__Budgets__10__Scope=team PerfOtel__Budgets__10__Name=payments PerfOtel__Budgets__10__Period=daily PerfOtel__Budgets__10__LimitUsd=1500
    PerfOtel__Budgets__11__Scope=team PerfOtel__Budgets__11__Name=search PerfOtel__Budgets__11__Period=monthly PerfOtel__Budgets__11__LimitUsd=5000
    PerfOtel__Budgets__12__Scope=agent PerfOtel__Budgets__12__Name=reasoner PerfOtel__Budgets__12__Period=daily PerfOtel__Budgets__12__LimitUsd=300
  )
fi
start collector "$(dirname "$collector_dll")" env ASPNETCORE_URLS="http://$HOST:$COLLECTOR_PORT" \
  PerfOtel__Ingest__GeneratedKeyFile="$SECRETS/api-key" "${demo_collector_env[@]}" \
  PerfOtel__InstanceId=native \
  PerfOtel__Thresholds__File="$ROOT/deploy/thresholds/thresholds.json" \
  PerfOtel__Alerts__HistoryFile="$RUN/alert-history.jsonl" \
  PerfOtel__Probes__Components__0__Name=prometheus PerfOtel__Probes__Components__0__Kind=http \
  PerfOtel__Probes__Components__0__Url="http://$HOST:$PROMETHEUS_PORT/-/healthy" PerfOtel__Probes__Components__0__Weight=2 \
  PerfOtel__Probes__Components__1__Name=alertmanager PerfOtel__Probes__Components__1__Kind=http \
  PerfOtel__Probes__Components__1__Url="http://$HOST:$ALERTMANAGER_PORT/-/healthy" \
  dotnet "$collector_dll"
wait_for collector "$COLLECTOR_PORT" /healthz

start prometheus "$RUN" prometheus \
  --config.file="$RUN/prometheus/config/prometheus.yml" \
  --storage.tsdb.path="$RUN/prometheus/data" \
  --web.listen-address="$HOST:$PROMETHEUS_PORT" \
  --web.external-url="http://$HOST:$PROMETHEUS_PORT" \
  --web.enable-lifecycle
wait_for prometheus "$PROMETHEUS_PORT" /-/ready

start alertmanager "$RUN" prometheus-alertmanager \
  --config.file="$RUN/alertmanager/config/alertmanager.yml" \
  --storage.path="$RUN/alertmanager/data" \
  --web.listen-address="$HOST:$ALERTMANAGER_PORT" \
  --web.external-url="http://$HOST:$ALERTMANAGER_PORT" \
  --cluster.listen-address=
wait_for alertmanager "$ALERTMANAGER_PORT" /-/ready

grafana_line="grafana        skipped: grafana-server is not installed (Grafana is not in Debian: install Grafana OSS from
                 Grafana's apt repository or its standalone tarball and put grafana-server on PATH, then run this
                 again; or use docker-compose.yml)"
if [[ -n $grafana_home ]]; then
  password_file="$SECRETS/grafana-admin-password"
  [[ -s $password_file ]] || (umask 077 && random_secret >"$password_file")
  copy_config "$ROOT/grafana/provisioning" "$RUN/grafana/provisioning"
  mkdir -p "$RUN/grafana/data" "$RUN/grafana/logs" "$RUN/grafana/plugins"
  # Same policy as compose: no default password, no anonymous access, no sign-up. The password applies when
  # Grafana creates its database (first start with an empty .run/grafana/data).
  start grafana "$RUN" env \
    GF_PATHS_DATA="$RUN/grafana/data" GF_PATHS_LOGS="$RUN/grafana/logs" GF_PATHS_PLUGINS="$RUN/grafana/plugins" \
    GF_PATHS_PROVISIONING="$RUN/grafana/provisioning" \
    GF_SERVER_HTTP_ADDR="$HOST" GF_SERVER_HTTP_PORT="$GRAFANA_PORT" \
    GF_SECURITY_ADMIN_USER=admin GF_SECURITY_ADMIN_PASSWORD="$(<"$password_file")" \
    GF_USERS_ALLOW_SIGN_UP=false GF_AUTH_ANONYMOUS_ENABLED=false \
    GF_ANALYTICS_REPORTING_ENABLED=false GF_ANALYTICS_CHECK_FOR_UPDATES=false \
    GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false \
    GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH="$ROOT/grafana/dashboards/perfotel-overview.json" \
    grafana-server --homepath="$grafana_home"
  wait_for grafana "$GRAFANA_PORT" /api/health
  grafana_line="grafana        http://$HOST:$GRAFANA_PORT   (user admin, password: cat $password_file)"
else
  log "grafana skipped: grafana-server is not on PATH"
fi

# The collector writes its key on first start; give it a moment if it is not there yet.
for _ in 1 2 3 4 5 6 7 8 9 10; do
  [[ -s $SECRETS/api-key ]] && break
  sleep 0.3
done
[[ -s $SECRETS/api-key ]] || log "warning: $SECRETS/api-key was not created (is an API key configured otherwise?)"

demo_line=""
if [[ $DEMO == 1 ]]; then
  # Loopback only (the program's defaults); PERFOTEL_DEMO_* in the environment tune the rest.
  start demo-fleet "$ROOT" dotnet "$demo_dll" --url "http://$HOST:$COLLECTOR_PORT" --key-file "$SECRETS/api-key" \
    --listen "$HOST:$DEMO_PORT" --day-length "${PERFOTEL_DEMO_DAY_LENGTH:-1h}" --start-hour "${PERFOTEL_DEMO_START_HOUR:-8}" \
    --incident-every "${PERFOTEL_DEMO_INCIDENT_EVERY:-10m}" --incident-length "${PERFOTEL_DEMO_INCIDENT_LENGTH:-4m}"
  wait_for demo-fleet "$DEMO_PORT" /healthz
  demo_line="demo fleet     http://$HOST:$DEMO_PORT/   (simulated agents; log: $LOGS/demo-fleet.log)"
fi

cat <<EOF

PerfOtel stack is running on $HOST (Ctrl-C stops everything):
  collector      http://$HOST:$COLLECTOR_PORT   (/healthz /readyz /metrics, POST /v1/events)
  prometheus     http://$HOST:$PROMETHEUS_PORT
  alertmanager   http://$HOST:$ALERTMANAGER_PORT
  node_exporter  http://$HOST:$NODE_EXPORTER_PORT/metrics
  $grafana_line
  $demo_line
Logs: $LOGS/   Slack URL / SMTP password for Alertmanager: $SECRETS/alertmanager/

Send a first event:
  curl -sS -X POST http://$HOST:$COLLECTOR_PORT/v1/events \\
    -H "Authorization: Bearer \$(cat $SECRETS/api-key)" \\
    -H 'Content-Type: application/json' \\
    -d '{"events":[{"type":"run","agent":"planner","outcome":"success","duration_seconds":12.5}]}'

EOF

# --- 6. run until a signal arrives or a server dies ---
run_until_a_server_dies
