#!/usr/bin/env bash
# THE test command (README, and .ci/run calls exactly this): installs what the tests need when it is missing, then
# runs every test: unit tests, config checks with promtool/amtool/docker-compose, the reports job against a real
# Prometheus, and the end-to-end tests on the real collector, Prometheus, Alertmanager and node_exporter.
# Tests that need a Docker engine report themselves skipped when none answers.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/native/install-deps.sh
command -v dotnet >/dev/null || { echo "tests/run.sh: the .NET SDK 10 (dotnet) is required" >&2; exit 1; }

dotnet test --solution PerfOtel.sln -c Release "$@"
