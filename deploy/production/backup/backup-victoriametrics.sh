#!/usr/bin/env bash
# Backs up a running VictoriaMetrics single node (the long-term store) with vmbackup to a local folder.
# Runs on the VictoriaMetrics host: vmbackup reads the snapshot from the data dir (-storageDataPath).
#
# The script creates the instant snapshot itself (GET /snapshot/create) instead of vmbackup's -snapshot.createURL,
# because vmbackup 1.79 has no CA-file or password-file flags for that URL and the production profile serves
# VictoriaMetrics over TLS with basic auth. The snapshot is deleted again on exit, also on failure.
#
# --dst pointing at the folder of an earlier backup makes the backup incremental (only new parts are copied,
# parts gone from the snapshot are deleted there); a new empty folder makes a full one. --origin names an earlier
# backup to copy unchanged parts from (a full backup that costs about an incremental one). See docs/BACKUP.md.
set -euo pipefail

script_name=$(basename "$0")
usage="usage: $script_name --url URL --data-dir DIR --dst DIR [--origin DIR] [--user USER --password-file FILE] [--cacert FILE]"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

url='' data_dir='' dst='' origin='' user='' password_file='' cacert=''
while (($#)); do
  case $1 in
    --url) need_value "$@"; url=$2; shift 2 ;;
    --data-dir) need_value "$@"; data_dir=$2; shift 2 ;;
    --dst) need_value "$@"; dst=$2; shift 2 ;;
    --origin) need_value "$@"; origin=$2; shift 2 ;;
    --user) need_value "$@"; user=$2; shift 2 ;;
    --password-file) need_value "$@"; password_file=$2; shift 2 ;;
    --cacert) need_value "$@"; cacert=$2; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n $url ]] || usage_error "--url is required (the VictoriaMetrics base URL, e.g. http://127.0.0.1:8428)"
[[ -n $data_dir ]] || usage_error "--data-dir is required (VictoriaMetrics' -storageDataPath)"
[[ -n $dst ]] || usage_error "--dst is required (the backup folder)"
[[ $url =~ ^https?://[^/]+ ]] || die "--url must start with http:// or https://: $url"
url=${url%/}
command -v vmbackup >/dev/null || die "vmbackup is required (Debian package victoria-metrics)"
data_dir=$(absolute_path "$data_dir")
dst=$(absolute_path "$dst")
[[ -d $data_dir/indexdb && -d $data_dir/data ]] || die "$data_dir is not a VictoriaMetrics data dir (no data/ and indexdb/)"
[[ $dst != "$data_dir" && $dst != "$data_dir"/* ]] || die "--dst must be outside the data dir"
if [[ -n $origin ]]; then
  origin=$(absolute_path "$origin")
  [[ -f $origin/backup_complete.ignore ]] || die "--origin $origin is not a complete vmbackup backup"
fi
curl_init "$user" "$password_file" "$cacert"
mkdir -p -- "$dst"

started=$(date +%s.%N)
http_call GET "$url/snapshot/create"
[[ $http_status == 200 ]] || die "GET $url/snapshot/create answered $http_status: ${http_body:0:200}"
snapshot=$(json_string snapshot "$http_body")
[[ $snapshot =~ ^[0-9A-Za-z_-]+$ ]] || die "no snapshot name in the answer of $url/snapshot/create: ${http_body:0:200}"
delete_snapshot() {
  # On exit, also after a failure: a snapshot left behind pins its parts on disk until deleted.
  curl "${curl_args[@]}" -o /dev/null "$url/snapshot/delete?snapshot=$snapshot" \
    || echo "$script_name: warning: could not delete snapshot $snapshot; delete it with GET $url/snapshot/delete?snapshot=$snapshot" >&2
}
exit_actions+=(delete_snapshot)
[[ -d $data_dir/snapshots/$snapshot ]] \
  || die "snapshot $snapshot is not in $data_dir/snapshots: is --data-dir the -storageDataPath of the server at --url?"

log=$(mktemp "${TMPDIR:-/tmp}/vmbackup-log.XXXXXX")
exit_actions+=("rm -f '$log'")
# -httpListenAddr: vmbackup serves its own /metrics while it runs; a free loopback port avoids clashing with :8420.
args=(-storageDataPath="$data_dir" -snapshotName="$snapshot" -dst="fs://$dst" -httpListenAddr=127.0.0.1:0)
[[ -z $origin ]] || args+=(-origin="fs://$origin")
if ! run_vm_tool "$log" "is complete; backed up" vmbackup "${args[@]}"; then
  tail -n 20 "$log" >&2
  die "vmbackup of snapshot $snapshot to $dst failed (its last lines above)"
fi

seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
size=$(files_size "$dst")
uploaded=$(sed -n 's/.*; uploaded \([0-9]*\) bytes.*/\1/p' "$log" | tail -n 1)
echo "$script_name: snapshot $snapshot of $url backed up to $dst in ${seconds}s: backup size $size bytes, copied this time ${uploaded:-?} bytes"
