#!/usr/bin/env bash
# Prometheus memory and disk for a fleet of AGENTS x MODELS, measured on a real Prometheus (docs/SCALING.md).
# A synthetic target (synthetic-target.py) serves the series a real collector exposes for that fleet; a fresh
# Prometheus scrapes it every INTERVAL for MINUTES (bounded: at most 15), sampling its RSS (/proc), head series and
# WAL size every 30 s; then a TSDB snapshot writes the head as a block, whose index and chunks are measured with du.
#   bash bench/capacity/prometheus-capacity.sh AGENTS MODELS [MINUTES=4] [INTERVAL=10s]
set -euo pipefail
cd "$(dirname "$0")/../.."
agents=$1 models=$2 minutes=${3:-4} interval=${4:-10s}
((minutes <= 15)) || { echo "at most 15 minutes" >&2; exit 1; }
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tport=$(free_port) pport=$(free_port)
pids=()
# set +e: a killed process' exit status must not end the trap before the others are killed.
trap 'set +e; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

bash bench/capacity/series-per-agent.sh "$work/template.txt" >/dev/null
python3 bench/capacity/synthetic-target.py "$work/template.txt" "$tport" "$agents" "$models" > "$work/target.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q series "$work/target.log" 2>/dev/null && curl -fs -o /dev/null "http://127.0.0.1:$tport/metrics" && break; sleep 1; done
cat "$work/target.log"
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: $interval, scrape_timeout: $interval}
scrape_configs:
  - job_name: perfotel-collector
    static_configs: [{targets: ['127.0.0.1:$tport']}]
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" --web.listen-address="127.0.0.1:$pport" \
  --web.enable-admin-api --log.level=warn > "$work/prometheus.log" 2>&1 &
ppid=$!
pids+=($ppid)
# A metric of Prometheus itself, summed over its label sets (samples_appended_total has type="float"/"histogram").
metric() { curl -fs "http://127.0.0.1:$pport/metrics" | awk -v m="$1" '{ n = $1; sub(/\{.*/, "", n) } n == m { s += $NF; f = 1 } END { if (f) printf "%.0f\n", s }'; }
rss() { awk '/VmRSS/ { printf "%.0f\n", $2 * 1024 }' "/proc/$ppid/status"; }  # %.0f: mawk's %d stops at 2^31
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$pport/-/ready" && break; sleep 1; done

start=$(date +%s)
last_rss=$(rss)
echo "t_s head_series rss_MiB heap_inuse_MiB wal_MiB load1"
while (( $(date +%s) - start < minutes * 60 )); do
  sleep 30
  last_rss=$(rss)
  printf '%s %s %s %s %s %s\n' $(( $(date +%s) - start )) "$(metric prometheus_tsdb_head_series)" \
    "$(( last_rss / 1048576 ))" "$(awk '{ printf "%d", $1 / 1048576 }' <<<"$(metric go_memstats_heap_inuse_bytes)")" \
    "$(du -sm "$work/data/wal" | cut -f1)" "$(cut -d' ' -f1 /proc/loadavg)"
done
samples=$(metric prometheus_tsdb_head_samples_appended_total)
series=$(metric prometheus_tsdb_head_series)
snap=$(curl -fs -X POST "http://127.0.0.1:$pport/api/v1/admin/tsdb/snapshot" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["name"])')
block=$(find "$work/data/snapshots/$snap" -mindepth 1 -maxdepth 1 -type d | head -1)
index=$(stat -c %s "$block/index")
chunks=$(du -sb "$block/chunks" | cut -f1)
wal=$(du -sb "$work/data/wal" | cut -f1)
python3 - "$series" "$samples" "$last_rss" "$index" "$chunks" "$wal" <<'PY'
import sys
series, samples, rss, index, chunks, wal = (float(x) for x in sys.argv[1:])
print(f"head series {series:,.0f}, samples appended {samples:,.0f} ({samples / series:.1f} per series)")
print(f"RSS (last sample before the snapshot) {rss / 2**20:,.0f} MiB = {rss / series:,.0f} B per head series")
print(f"snapshot block: index {index / 2**20:,.1f} MiB = {index / series:,.0f} B per series; chunks {chunks / 2**20:,.1f} MiB = {chunks / samples:.2f} B per sample")
print(f"WAL {wal / 2**20:,.0f} MiB = {wal / samples:.2f} B per sample")
PY
