#!/usr/bin/env bash
# Regenerates deploy/kubernetes/generated/ from the files kustomize cannot read (they are outside its root):
#   prometheus/rules/*.yml          -> generated/prometheus-rules.yaml    one PrometheusRule per rule file
#   grafana/dashboards/*.json       -> generated/grafana-dashboards.yaml  one ConfigMap per dashboard (Grafana sidecar)
#   deploy/pricing/catalog.json     -> generated/config/catalog.json      verbatim, for the configMapGenerator
#   deploy/thresholds/thresholds.json -> generated/config/thresholds.json verbatim, for the configMapGenerator
# Run it after editing any of those, and commit the result:
#   bash deploy/kubernetes/generate.sh            (or: generate.sh OUT_DIR, to write elsewhere)
# tests/PerfOtel.Config.Tests/KubernetesManifestTests.cs fails when the committed files differ from a fresh run.
#
# Only bash and coreutils: a rule file is embedded under `spec:` by indenting it, which is exact when its only
# top-level key is `groups:` (checked below; the test also compares the rendered objects with the sources).
set -euo pipefail
export LC_ALL=C # byte order for globs: the output must not depend on the locale

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/generated}"
command_line="bash deploy/kubernetes/generate.sh"

fail() {
  echo "generate.sh: $*" >&2
  exit 1
}

# Kubernetes object names: DNS-1123 labels.
check_name() {
  [[ $1 =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ && ${#1} -le 63 ]] || fail "'$1' (from $2) is not a valid Kubernetes name"
}

# Sources with CR line ends would not survive YAML (it normalises line breaks).
check_no_cr() {
  if grep -q $'\r' "$1"; then fail "$1 has CR line ends; use LF"; fi
}

# Ends the last line of a file that has no final newline, so that the next `---` starts a line of its own.
end_line() {
  if [[ -n $(tail -c 1 "$1") ]]; then echo; fi
}

rule_object() {
  local file=$1 name rel
  rel="${file#"$root"/}"
  name="$(basename "$file" .yml)"
  check_name "$name" "$rel"
  check_no_cr "$file"
  # The file's top level must be exactly `groups:` (comments and blank lines aside): then the whole file, indented,
  # is the spec of a PrometheusRule. Anything else at column 0 (another key, a document marker) is refused.
  local top
  top="$(grep -vE '^([[:space:]]|#|$)' "$file" || true)"
  [[ $top == "groups:" ]] || fail "$rel: the top level must be exactly 'groups:', found: ${top//$'\n'/ | }"
  cat <<EOF
---
# Generated from $rel by $command_line: do not edit.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: $name
  labels:
    app.kubernetes.io/name: $name
    app.kubernetes.io/component: rules
    app.kubernetes.io/part-of: perfotel
spec:
EOF
  # Blank lines stay empty (no trailing spaces).
  sed -e 's/^\(.\)/  \1/' "$file"
  end_line "$file"
}

dashboard_object() {
  local file=$1 base name rel chomp
  rel="${file#"$root"/}"
  base="$(basename "$file")"
  name="grafana-dashboard-$(basename "$file" .json)"
  check_name "$name" "$rel"
  check_no_cr "$file"
  [[ -s $file ]] || fail "$rel is empty"
  # A literal block scalar with an explicit indentation indicator (2: the content sits 2 columns right of `data:`'s
  # keys) keeps every line as it is; the chomping indicator keeps the file's own ending.
  if [[ $(tail -c 1 "$file" | od -An -c | tr -d ' ') != '\n' ]]; then
    chomp="-" # no final newline
  elif [[ $(tail -c 2 "$file" | od -An -c | tr -d ' ') == '\n\n' ]]; then
    chomp="+" # several final newlines
  else
    chomp="" # exactly one
  fi
  cat <<EOF
---
# Generated from $rel by $command_line: do not edit.
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name
  labels:
    # Grafana's dashboard sidecar (Grafana Helm chart, kube-prometheus-stack) loads ConfigMaps with this label.
    grafana_dashboard: "1"
    app.kubernetes.io/name: $name
    app.kubernetes.io/component: dashboards
    app.kubernetes.io/part-of: perfotel
  annotations:
    # The Grafana folder, with the chart's sidecar.dashboards.folderAnnotation=grafana_folder (docs/KUBERNETES.md).
    grafana_folder: PerfOtel
data:
  $base: |2$chomp
EOF
  sed -e 's/^\(.\)/    \1/' "$file"
  end_line "$file"
}

shopt -s nullglob
rule_files=("$root"/prometheus/rules/*.yml)
dashboard_files=("$root"/grafana/dashboards/*.json)
((${#rule_files[@]} > 0)) || fail "no rule files in prometheus/rules"
((${#dashboard_files[@]} > 0)) || fail "no dashboards in grafana/dashboards"

# Write into a fresh folder next to the target, then swap: a failed run leaves the old files untouched, and files of
# deleted sources disappear.
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "$(dirname "$out")/.generate.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
mkdir -p "$tmp/config"

{
  echo "# PrometheusRule objects generated from prometheus/rules/*.yml by $command_line: do not edit."
  for f in "${rule_files[@]}"; do rule_object "$f"; done
} >"$tmp/prometheus-rules.yaml"

{
  echo "# Dashboard ConfigMaps generated from grafana/dashboards/*.json by $command_line: do not edit."
  for f in "${dashboard_files[@]}"; do dashboard_object "$f"; done
} >"$tmp/grafana-dashboards.yaml"

for f in "$root/deploy/pricing/catalog.json" "$root/deploy/thresholds/thresholds.json"; do
  [[ -f $f ]] || fail "${f#"$root"/} is missing"
  cp "$f" "$tmp/config/"
done

cat >"$tmp/README.md" <<EOF
# Generated: do not edit

Written by \`$command_line\` from files outside this kustomization's root (kustomize reads nothing outside it):

| file | source |
| --- | --- |
| \`prometheus-rules.yaml\` | \`prometheus/rules/*.yml\`, one PrometheusRule each |
| \`grafana-dashboards.yaml\` | \`grafana/dashboards/*.json\`, one ConfigMap each (label \`grafana_dashboard: "1"\`) |
| \`config/catalog.json\` | \`deploy/pricing/catalog.json\` (copy; ConfigMap \`perfotel-pricing\`) |
| \`config/thresholds.json\` | \`deploy/thresholds/thresholds.json\` (copy; ConfigMap \`perfotel-thresholds\`) |

Edit the sources, run the command, commit both. \`tests/PerfOtel.Config.Tests\` fails when these files differ from
a fresh run.
EOF

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "generate.sh: wrote ${#rule_files[@]} PrometheusRules and ${#dashboard_files[@]} dashboard ConfigMaps to ${out#"$root"/}"
