#!/usr/bin/env bash
# The production profile without Docker (docs/PRODUCTION.md), every server on 127.0.0.1, until Ctrl-C stops it all:
#   PERFOTEL_PROFILE=production bash deploy/native/run-stack.sh        (run-stack.sh hands over to this script)
# Two Prometheus replicas (identical config, external labels {cluster, replica}), three gossiping Alertmanager
# peers, VictoriaMetrics as the long-term store (both replicas remote_write to it; dedup at the scrape interval),
# the collector over HTTPS, node_exporter; Grafana when installed, reading VictoriaMetrics. Everything behind TLS and
# basic auth, with the secrets made by deploy/production/make-secrets.sh into .run/secrets/production (kept).
# Configs come from deploy/production/ and prometheus/rules, rendered into .run/production/ for loopback.
# Environment (defaults):
#   PERFOTEL_PROMETHEUS_RETENTION (15d)     Prometheus' --storage.tsdb.retention.time, both replicas
#   PERFOTEL_LONG_TERM_RETENTION (13)       VictoriaMetrics' -retentionPeriod: a number is months; or 400d, 2y
#   PERFOTEL_CLUSTER (perfotel)             the `cluster` external label
#   PERFOTEL_QUERY_URL (VictoriaMetrics)    what Grafana and the reports job read; set it to a Prometheus replica's
#                                           URL to read Prometheus instead
#   PERFOTEL_COLLECTOR_PORT (8080), PERFOTEL_PROMETHEUS_PORTS ("9090 9091"), PERFOTEL_ALERTMANAGER_PORTS
#   ("9093 9193 9293"), PERFOTEL_ALERTMANAGER_CLUSTER_PORTS ("9094 9194 9294"), PERFOTEL_VICTORIAMETRICS_PORT (8428),
#   PERFOTEL_NODE_EXPORTER_PORT (9100), PERFOTEL_GRAFANA_PORT (3000), PERFOTEL_RUN_DIR (.run),
#   PERFOTEL_SKIP_BUILD=1, PERFOTEL_STARTUP_TIMEOUT (90)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${PERFOTEL_RUN_DIR:-$ROOT/.run}"
PROD="$RUN/production"
SECRETS="$RUN/secrets"
TLS="$SECRETS/production/tls"
LOGS="$RUN/logs"
HOST=127.0.0.1
COLLECTOR_PORT="${PERFOTEL_COLLECTOR_PORT:-8080}"
read -r -a PROM_PORTS <<<"${PERFOTEL_PROMETHEUS_PORTS:-9090 9091}"
read -r -a AM_PORTS <<<"${PERFOTEL_ALERTMANAGER_PORTS:-9093 9193 9293}"
read -r -a AM_CLUSTER_PORTS <<<"${PERFOTEL_ALERTMANAGER_CLUSTER_PORTS:-9094 9194 9294}"
VM_PORT="${PERFOTEL_VICTORIAMETRICS_PORT:-8428}"
NODE_EXPORTER_PORT="${PERFOTEL_NODE_EXPORTER_PORT:-9100}"
GRAFANA_PORT="${PERFOTEL_GRAFANA_PORT:-3000}"
PROMETHEUS_RETENTION="${PERFOTEL_PROMETHEUS_RETENTION:-15d}"
LONG_TERM_RETENTION="${PERFOTEL_LONG_TERM_RETENTION:-13}"
CLUSTER="${PERFOTEL_CLUSTER:-perfotel}"
QUERY_URL="${PERFOTEL_QUERY_URL:-https://$HOST:$VM_PORT}"
STARTUP_TIMEOUT="${PERFOTEL_STARTUP_TIMEOUT:-90}"
REPLICAS=(a b)

SCRIPT_NAME=run-production
# shellcheck source-path=SCRIPTDIR source=supervise.sh
source "$ROOT/deploy/native/supervise.sh"
((${#PROM_PORTS[@]} == 2)) || die "PERFOTEL_PROMETHEUS_PORTS needs two ports"
((${#AM_PORTS[@]} == 3 && ${#AM_CLUSTER_PORTS[@]} == 3)) || die "PERFOTEL_ALERTMANAGER_PORTS and _CLUSTER_PORTS need three ports each"

# authcurl USER PASSWORD_FILE CURL_ARGS...: curl over TLS with basic auth. The password goes through a curl config on
# a pipe, so it never shows in the process list.
authcurl() {
  local user=$1 password
  password=$(<"$2")
  password=${password//\\/\\\\}
  shift 2
  curl --cacert "$TLS/ca.crt" --config <(printf 'user = "%s:%s"\n' "$user" "${password//\"/\\\"}") "$@"
}

# probe URL [USER PASSWORD_FILE]: 0 when GET answers 2xx over TLS.
probe() {
  if [[ -z ${2:-} ]]; then
    curl -fsS -o /dev/null --max-time 5 --cacert "$TLS/ca.crt" "$1" 2>/dev/null
  else
    authcurl "$2" "$3" -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null
  fi
}

# wait_for NAME URL [USER PASSWORD_FILE]: until the last started process answers 2xx over TLS (basic auth with USER).
wait_for() { wait_until "$1" "$2" probe "$2" "${3:-}" "${4:-}"; }

# render FILE...: compose host names -> loopback ports, /run/perfotel/ -> .run/secrets/ (in place, on the copies).
render() {
  local secrets
  secrets="$(printf '%s' "$SECRETS/" | sed -e 's/[#&\\]/\\&/g')"
  sed -E -i \
    -e "s#(^|[^[:alnum:]_.-])collector:8080#\\1$HOST:$COLLECTOR_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])prometheus-a:9090#\\1$HOST:${PROM_PORTS[0]}#g" \
    -e "s#(^|[^[:alnum:]_.-])prometheus-b:9090#\\1$HOST:${PROM_PORTS[1]}#g" \
    -e "s#(^|[^[:alnum:]_.-])alertmanager-1:9093#\\1$HOST:${AM_PORTS[0]}#g" \
    -e "s#(^|[^[:alnum:]_.-])alertmanager-2:9093#\\1$HOST:${AM_PORTS[1]}#g" \
    -e "s#(^|[^[:alnum:]_.-])alertmanager-3:9093#\\1$HOST:${AM_PORTS[2]}#g" \
    -e "s#(^|[^[:alnum:]_.-])victoriametrics:8428#\\1$HOST:$VM_PORT#g" \
    -e "s#(^|[^[:alnum:]_.-])node-exporter:9100#\\1$HOST:$NODE_EXPORTER_PORT#g" \
    -e "s#/run/perfotel/#$secrets#g" \
    "$@"
}

# --- 1. tools, ports ---
"$ROOT/deploy/native/install-deps.sh"
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH"
for entry in "collector $COLLECTOR_PORT" "prometheus-a ${PROM_PORTS[0]}" "prometheus-b ${PROM_PORTS[1]}" \
  "alertmanager-1 ${AM_PORTS[0]}" "alertmanager-2 ${AM_PORTS[1]}" "alertmanager-3 ${AM_PORTS[2]}" \
  "alertmanager-1-gossip ${AM_CLUSTER_PORTS[0]}" "alertmanager-2-gossip ${AM_CLUSTER_PORTS[1]}" \
  "alertmanager-3-gossip ${AM_CLUSTER_PORTS[2]}" "victoriametrics $VM_PORT" "node_exporter $NODE_EXPORTER_PORT"; do
  read -r name port <<<"$entry"
  port_in_use "$port" && die "port $port ($name) is already in use on $HOST: stop what listens there or move it (see the header of $0)"
done

# --- 2. secrets (made once, kept), configs ---
mkdir -p "$LOGS"
(umask 077 && mkdir -p "$SECRETS/alertmanager")
bash "$ROOT/deploy/production/make-secrets.sh" "$SECRETS/production"
for f in slack_api_url smtp_password; do
  [[ -e $SECRETS/alertmanager/$f ]] || (umask 077 && : >"$SECRETS/alertmanager/$f")
done
rm -rf "$PROD/config"
mkdir -p "$PROD/config/prometheus" "$PROD/config/alertmanager"
cp "$ROOT/deploy/production/prometheus/prometheus.yml" "$PROD/config/prometheus/"
cp -R "$ROOT/prometheus/rules" "$PROD/config/prometheus/rules"
sed -E -f "$ROOT/deploy/production/alertmanager/production.sed" "$ROOT/deploy/alertmanager/alertmanager.yml" \
  >"$PROD/config/alertmanager/alertmanager.yml"
render "$PROD/config/prometheus/prometheus.yml" "$PROD/config/alertmanager/alertmanager.yml"
promtool check config --syntax-only "$PROD/config/prometheus/prometheus.yml" >"$LOGS/promtool.log" 2>&1 ||
  die "rendered prometheus.yml is invalid: $(cat "$LOGS/promtool.log")"
amtool check-config "$PROD/config/alertmanager/alertmanager.yml" >"$LOGS/amtool.log" 2>&1 ||
  die "rendered alertmanager.yml is invalid: $(cat "$LOGS/amtool.log")"
web_config="$SECRETS/production/web-config.yml"
pw() { printf '%s' "$SECRETS/production/passwords/$1"; }

# The dedup interval is the scrape interval of the rendered config: one setting, never out of step.
scrape_interval="$(sed -nE 's/^  scrape_interval: *([0-9a-z]+).*/\1/p' "$PROD/config/prometheus/prometheus.yml")"
[[ -n $scrape_interval ]] || die "no global scrape_interval in deploy/production/prometheus/prometheus.yml"

# --- 3. the collector ---
collector_project="$ROOT/src/PerfOtel.Collector/PerfOtel.Collector.csproj"
if [[ ${PERFOTEL_SKIP_BUILD:-} != 1 ]]; then
  log "building the collector (dotnet build -c Release)"
  dotnet build -c Release -nologo -v quiet -clp:NoSummary "$collector_project"
fi
collector_dll="$(dotnet msbuild "$collector_project" -getProperty:TargetPath -p:Configuration=Release)"
[[ -f $collector_dll ]] || die "collector not built: $collector_dll is missing (unset PERFOTEL_SKIP_BUILD)"

# --- 4. servers ---
mkdir -p "$PROD/vm-data"
# The password reaches VictoriaMetrics through its environment (-envflag.enable), never its command line.
start victoriametrics "$PROD" env httpAuth_password="$(<"$(pw prometheus)")" victoria-metrics -envflag.enable \
  -httpListenAddr="$HOST:$VM_PORT" -storageDataPath="$PROD/vm-data" -retentionPeriod="$LONG_TERM_RETENTION" \
  -dedup.minScrapeInterval="$scrape_interval" -relabelConfig="$ROOT/deploy/production/victoriametrics/relabel.yml" \
  -tls -tlsCertFile="$TLS/tls.crt" -tlsKeyFile="$TLS/tls.key" -httpAuth.username=prometheus
wait_for victoriametrics "https://$HOST:$VM_PORT/health" prometheus "$(pw prometheus)"

start node_exporter "$PROD" prometheus-node-exporter --web.listen-address="$HOST:$NODE_EXPORTER_PORT" \
  --web.config.file="$web_config"
wait_for node_exporter "https://$HOST:$NODE_EXPORTER_PORT/metrics" prometheus "$(pw prometheus)"

start collector "$(dirname "$collector_dll")" env ASPNETCORE_URLS="https://$HOST:$COLLECTOR_PORT" \
  Kestrel__Certificates__Default__Path="$TLS/tls.crt" Kestrel__Certificates__Default__KeyPath="$TLS/tls.key" \
  PerfOtel__Metrics__PasswordFile="$(pw prometheus)" \
  PerfOtel__Ingest__GeneratedKeyFile="$SECRETS/api-key" PerfOtel__InstanceId=native \
  PerfOtel__Thresholds__File="$ROOT/deploy/thresholds/thresholds.json" \
  PerfOtel__Alerts__HistoryFile="$RUN/alert-history.jsonl" \
  dotnet "$collector_dll"
wait_for collector "https://$HOST:$COLLECTOR_PORT/healthz"

for i in 0 1 2; do
  peers=()
  for j in 0 1 2; do ((j == i)) || peers+=("--cluster.peer=$HOST:${AM_CLUSTER_PORTS[j]}"); done
  mkdir -p "$PROD/alertmanager-$((i + 1))"
  start "alertmanager-$((i + 1))" "$PROD" prometheus-alertmanager \
    --config.file="$PROD/config/alertmanager/alertmanager.yml" --storage.path="$PROD/alertmanager-$((i + 1))" \
    --web.listen-address="$HOST:${AM_PORTS[i]}" --web.config.file="$web_config" \
    --web.external-url="https://$HOST:${AM_PORTS[i]}" \
    --cluster.listen-address="$HOST:${AM_CLUSTER_PORTS[i]}" "${peers[@]}"
done
for i in 0 1 2; do
  wait_for "alertmanager-$((i + 1))" "https://$HOST:${AM_PORTS[i]}/-/ready" admin "$(pw admin)"
done

for i in 0 1; do
  mkdir -p "$PROD/prometheus-${REPLICAS[i]}"
  start "prometheus-${REPLICAS[i]}" "$PROD" env PERFOTEL_CLUSTER="$CLUSTER" PERFOTEL_PROMETHEUS_REPLICA="${REPLICAS[i]}" \
    prometheus --config.file="$PROD/config/prometheus/prometheus.yml" \
    --storage.tsdb.path="$PROD/prometheus-${REPLICAS[i]}" --storage.tsdb.retention.time="$PROMETHEUS_RETENTION" \
    --enable-feature=expand-external-labels --web.config.file="$web_config" \
    --web.listen-address="$HOST:${PROM_PORTS[i]}" --web.external-url="https://$HOST:${PROM_PORTS[i]}"
  wait_for "prometheus-${REPLICAS[i]}" "https://$HOST:${PROM_PORTS[i]}/-/ready" admin "$(pw admin)"
done

grafana_line="grafana          skipped: grafana-server is not installed (see run-stack.sh)"
if command -v grafana-server >/dev/null 2>&1; then
  grafana_home="${PERFOTEL_GRAFANA_HOME:-$(dirname "$(readlink -f "$(command -v grafana-server)")")/..}"
  [[ -f $grafana_home/conf/defaults.ini ]] || grafana_home=/usr/share/grafana
  password_file="$SECRETS/grafana-admin-password"
  [[ -s $password_file ]] || (umask 077 && openssl rand -hex 16 | tr -d '\n' >"$password_file")
  rm -rf "$PROD/grafana/provisioning"
  mkdir -p "$PROD/grafana/provisioning/datasources" "$PROD/grafana/data"
  cp -R "$ROOT/grafana/provisioning/dashboards" "$PROD/grafana/provisioning/"
  sed -i "s#/etc/grafana/dashboards/perfotel#$ROOT/grafana/dashboards#g" "$PROD/grafana/provisioning/dashboards/"*.yml
  cp "$ROOT/deploy/production/grafana/datasources/prometheus.yml" "$PROD/grafana/provisioning/datasources/"
  render "$PROD/grafana/provisioning/datasources/prometheus.yml"
  start grafana "$PROD" env GF_PATHS_DATA="$PROD/grafana/data" GF_PATHS_PROVISIONING="$PROD/grafana/provisioning" \
    GF_SERVER_HTTP_ADDR="$HOST" GF_SERVER_HTTP_PORT="$GRAFANA_PORT" PERFOTEL_QUERY_URL="$QUERY_URL" \
    GF_SECURITY_ADMIN_USER=admin GF_SECURITY_ADMIN_PASSWORD="$(<"$password_file")" GF_USERS_ALLOW_SIGN_UP=false \
    GF_AUTH_ANONYMOUS_ENABLED=false GF_ANALYTICS_REPORTING_ENABLED=false grafana-server --homepath="$grafana_home"
  grafana_line="grafana          http://$HOST:$GRAFANA_PORT (admin, password in $password_file), reading $QUERY_URL"
fi

# Every target of both replicas up, over https with basic auth: 1 collector, 2 Prometheus, 3 Alertmanager, VM, node.
deadline=$((SECONDS + STARTUP_TIMEOUT))
for i in 0 1; do
  until [[ $(authcurl admin "$(pw admin)" -fsS \
    "https://$HOST:${PROM_PORTS[i]}/api/v1/query" --data-urlencode 'query=count(up == 1)' 2>/dev/null |
    sed -nE 's/.*"value":\[[^,]*,"([0-9]+)"\].*/\1/p') == 8 ]]; do
    ((SECONDS < deadline)) || die "prometheus-${REPLICAS[i]}: not every target is up (https://$HOST:${PROM_PORTS[i]}/targets)"
    sleep 1
  done
done
log "both replicas scrape all 8 targets over https"

cat <<EOF2

PerfOtel production profile is running on $HOST (Ctrl-C stops everything). Everything needs the CA and a password:
  CA: $TLS/ca.crt    passwords: $SECRETS/production/passwords/{admin,prometheus}
  collector        https://$HOST:$COLLECTOR_PORT   (ingest key: $SECRETS/api-key; /metrics: user prometheus)
  prometheus       https://$HOST:${PROM_PORTS[0]} (replica a), https://$HOST:${PROM_PORTS[1]} (replica b)   user admin
  alertmanager     https://$HOST:${AM_PORTS[0]}, :${AM_PORTS[1]}, :${AM_PORTS[2]} (one cluster)   user admin
  victoriametrics  https://$HOST:$VM_PORT   user prometheus (retention $LONG_TERM_RETENTION, dedup $scrape_interval)
  $grafana_line
Reports from the long-term store:
  dotnet run --project src/PerfOtel.Reports -- status --prometheus-url $QUERY_URL \\
    --prometheus-password-file $(pw prometheus) --prometheus-ca-file $TLS/ca.crt
EOF2

run_until_a_server_dies
