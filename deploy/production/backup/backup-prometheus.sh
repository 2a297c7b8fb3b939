#!/usr/bin/env bash
# Backs up a running Prometheus' local TSDB: a snapshot through the admin API (POST /api/v1/admin/tsdb/snapshot,
# needs --web.enable-admin-api), including the in-memory head block, copied out as a timestamped tar.gz in --dst.
# Runs on the Prometheus host: the snapshot is written under the data dir (--storage.tsdb.path) as hard links
# and read from there; it is deleted after the copy (keep it with --keep-snapshot).
# Prints the archive's path on the last line of stdout. Restore with restore-prometheus.sh.
set -euo pipefail

script_name=$(basename "$0")
usage="usage: $script_name --url URL --data-dir DIR --dst DIR [--user USER --password-file FILE] [--cacert FILE] [--keep-snapshot]"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

url='' data_dir='' dst='' user='' password_file='' cacert='' keep=0
while (($#)); do
  case $1 in
    --url) need_value "$@"; url=$2; shift 2 ;;
    --data-dir) need_value "$@"; data_dir=$2; shift 2 ;;
    --dst) need_value "$@"; dst=$2; shift 2 ;;
    --user) need_value "$@"; user=$2; shift 2 ;;
    --password-file) need_value "$@"; password_file=$2; shift 2 ;;
    --cacert) need_value "$@"; cacert=$2; shift 2 ;;
    --keep-snapshot) keep=1; shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n $url ]] || usage_error "--url is required (the Prometheus base URL, e.g. http://127.0.0.1:9090)"
[[ -n $data_dir ]] || usage_error "--data-dir is required (Prometheus' --storage.tsdb.path)"
[[ -n $dst ]] || usage_error "--dst is required (the folder for the archives)"
[[ $url =~ ^https?://[^/]+ ]] || die "--url must start with http:// or https://: $url"
url=${url%/}
data_dir=$(absolute_path "$data_dir")
dst=$(absolute_path "$dst")
[[ -d $data_dir/wal ]] || die "$data_dir is not a Prometheus data dir (no wal/)"
[[ $dst != "$data_dir" && $dst != "$data_dir"/* ]] || die "--dst must be outside the data dir"
curl_init "$user" "$password_file" "$cacert"
mkdir -p -- "$dst"

started=$(date +%s.%N)
http_call POST "$url/api/v1/admin/tsdb/snapshot"
case $http_status in
  200) ;;
  403 | 404 | 405) die "POST $url/api/v1/admin/tsdb/snapshot answered $http_status: start Prometheus with --web.enable-admin-api" ;;
  *) die "POST $url/api/v1/admin/tsdb/snapshot answered $http_status: ${http_body:0:200}" ;;
esac
snapshot=$(json_string name "$http_body")
[[ $snapshot =~ ^[0-9A-Za-z_-]+$ ]] || die "no snapshot name in the answer of $url/api/v1/admin/tsdb/snapshot: ${http_body:0:200}"
snapshot_dir=$data_dir/snapshots/$snapshot
((keep)) || exit_actions+=("rm -rf -- '$snapshot_dir'")
[[ -d $snapshot_dir ]] \
  || die "snapshot $snapshot is not in $data_dir/snapshots: is --data-dir the --storage.tsdb.path of the server at --url?"

blocks=$(find "$snapshot_dir" -mindepth 2 -maxdepth 2 -name meta.json | wc -l)
# An empty snapshot restores nothing: fail loudly rather than archive it as if it were a backup.
((blocks > 0)) || die "snapshot $snapshot holds no blocks: Prometheus has no data yet"

# Written under a temporary name first, so that a half-written archive is never taken for a backup.
archive=$dst/prometheus-$snapshot.tar.gz # the snapshot's name starts with its UTC time: 20261129T185612Z-<random>
exit_actions+=("rm -f -- '$archive.partial'")
tar_error=$(tar -C "$snapshot_dir" -czf "$archive.partial" . 2>&1) || die "could not write $archive: $(grep -m 1 . <<<"$tar_error")"
mv -- "$archive.partial" "$archive"

seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "$script_name: snapshot $snapshot of $url ($blocks blocks, $(files_size "$snapshot_dir") bytes) archived in ${seconds}s ($(stat -c %s -- "$archive") bytes):" >&2
echo "$archive"
