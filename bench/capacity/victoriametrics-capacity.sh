#!/usr/bin/env bash
# VictoriaMetrics (single node) disk per sample, measured (docs/SCALING.md): imports AGENTS x MODELS series of a real
# collector's labels with POINTS samples each, STEP seconds apart (synthetic-import.py), forces a flush and a merge of
# the month partitions, waits until the data folder stops changing (bounded: 5 min), then measures data/ and
# indexdb/ with du and counts the stored rows from VictoriaMetrics' own metrics.
#   bash bench/capacity/victoriametrics-capacity.sh [AGENTS=20] [MODELS=5] [POINTS=2880] [STEP=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
agents=${1:-20} models=${2:-5} points=${3:-2880} step=${4:-15}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bash bench/capacity/series-per-agent.sh "$work/template.txt" >/dev/null
victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$work/vm" -retentionPeriod=100y -loggerLevel=ERROR > "$work/vm.log" 2>&1 &
pid=$!
trap 'set +e; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.5; done
vm_metric() { curl -fs "http://127.0.0.1:$port/metrics" | awk -v m="$1" '{ n = $1; sub(/\{.*/, "", n) } n == m && $0 ~ m2 { s += $NF } END { printf "%.0f\n", s }' m2="${2:-}"; }

t0=$(date +%s)
python3 bench/capacity/synthetic-import.py "$work/template.txt" "$agents" "$models" "$points" "$step" \
  | curl -fsS -X POST --data-binary @- "http://127.0.0.1:$port/api/v1/import"
t1=$(date +%s)
curl -fs "http://127.0.0.1:$port/internal/force_flush" >/dev/null
for month in $(python3 -c "
import datetime, sys
end = datetime.datetime.now(datetime.timezone.utc); start = end - datetime.timedelta(seconds=$points * $step)
print(*sorted({start.strftime('%Y_%m'), end.strftime('%Y_%m')}))"); do
  curl -fs "http://127.0.0.1:$port/internal/force_merge?partition_prefix=$month" >/dev/null
done
last=-1
for _ in $(seq 60); do
  sleep 5
  now=$(du -sb "$work/vm/data" | cut -f1)
  [[ $now == "$last" && $(vm_metric vm_active_merges) == 0 ]] && break
  last=$now
done
rows=$(vm_metric vm_rows 'type="storage/(big|small)"')
series=$(curl -fs "http://127.0.0.1:$port/api/v1/series/count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')
data=$(du -sb "$work/vm/data" | cut -f1)
index=$(du -sb "$work/vm/indexdb" | cut -f1)
rss=$(awk '/VmRSS/ { printf "%.0f", $2 * 1024 }' "/proc/$pid/status")
python3 - "$rows" "$series" "$data" "$index" "$rss" "$((t1 - t0))" <<'PY'
import sys
rows, series, data, index, rss, secs = (float(x) for x in sys.argv[1:])
print(f"stored {rows:,.0f} samples of {series:,.0f} series ({rows / series:,.0f} per series), imported in {secs:.0f} s")
print(f"data/ {data / 2**20:,.1f} MiB = {data / rows:.3f} B per sample -> {data / rows:.2f} GB per billion samples")
print(f"indexdb/ {index / 2**20:,.1f} MiB = {index / series:,.0f} B per series")
print(f"RSS after import {rss / 2**20:,.0f} MiB")
PY
