#!/usr/bin/env bash
# Installs the Debian packages the native stack and the config tests need, and only those whose binary is missing:
# running it again changes nothing. Needs root only when something is missing.
#   prometheus (+ promtool), prometheus-alertmanager (+ amtool), prometheus-node-exporter, docker-compose,
#   kubernetes-client (kubectl); for the production profile and backups victoria-metrics (+ vmbackup, vmrestore),
#   apache2-utils (htpasswd: bcrypt), openssl, curl; haproxy (the ingest load balancer in front of collector
#   replicas: deploy/production/loadbalancer/)
# docker-compose is used to validate docker-compose.yml; no Docker engine is needed for that. kubectl renders
# deploy/kubernetes offline (`kubectl kustomize`); no cluster is needed for that.
# Grafana is not in Debian: deploy/native/run-stack.sh starts it only when grafana-server is on PATH.
set -euo pipefail

# binary -> package that ships it
declare -A package_of=(
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
  [prometheus-node-exporter]=prometheus-node-exporter
  [docker-compose]=docker-compose
  [kubectl]=kubernetes-client
  # The production profile (deploy/native/run-production.sh, deploy/production/make-secrets.sh and its tests).
  [openssl]=openssl
  [haproxy]=haproxy
  [node]=nodejs
  [npm]=npm
  [chromium]=chromium
  # backups of the long-term store and Prometheus (deploy/production/backup, tests/PerfOtel.Stack.Tests/BackupRestoreTests.cs)
  [victoria-metrics]=victoria-metrics
  [vmbackup]=victoria-metrics
  [vmrestore]=victoria-metrics
  [htpasswd]=apache2-utils
  [curl]=curl
)

# Grafana's published dashboard schema (@grafana/schema) and the TypeScript compiler, pinned by
# grafana/schema-check/package-lock.json, for tests/PerfOtel.Config.Tests/DashboardSchemaTests.cs. No root needed.
npm_deps() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/grafana/schema-check"
  if [[ ! -d $dir/node_modules/@grafana/schema || ! -d $dir/node_modules/typescript ]]; then
    echo "install-deps: npm ci in grafana/schema-check (@grafana/schema, typescript)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}

missing=()
for binary in "${!package_of[@]}"; do
  if ! command -v "$binary" >/dev/null 2>&1; then
    package="${package_of[$binary]}"
    if [[ " ${missing[*]} " != *" $package "* ]]; then
      missing+=("$package")
    fi
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: prometheus, alertmanager, node_exporter, victoria-metrics, docker-compose, kubectl, htpasswd, openssl, curl, haproxy and node/npm are installed"
  npm_deps
  exit 0
fi

if ((EUID != 0)); then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root to install them:  sudo $0" >&2
  echo "install-deps: (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# On a machine booted with systemd, Debian starts these packages' own services on the ports the native runner uses.
if [[ -d /run/systemd/system ]]; then
  echo "install-deps: Debian may have started its own prometheus/alertmanager/node-exporter services on 9090/9093/9100;"
  echo "install-deps: stop them for run-stack.sh (systemctl disable --now prometheus prometheus-alertmanager"
  echo "install-deps: prometheus-node-exporter) or give the runner other ports (PERFOTEL_*_PORT)."
fi

npm_deps
