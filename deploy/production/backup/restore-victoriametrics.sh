#!/usr/bin/env bash
# Restores a vmbackup backup (a local folder) into the data dir of a STOPPED VictoriaMetrics with vmrestore.
# Then start VictoriaMetrics with -storageDataPath=DIR. The data dir must be empty or absent; with --force an
# existing data dir is synchronised to the backup (vmrestore works like rsync --delete: what is not in the backup
# is deleted, including everything written after the backup was taken).
set -euo pipefail

script_name=$(basename "$0")
usage="usage: $script_name --src DIR --data-dir DIR [--force]"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

src='' data_dir='' force=0
while (($#)); do
  case $1 in
    --src) need_value "$@"; src=$2; shift 2 ;;
    --data-dir) need_value "$@"; data_dir=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n $src ]] || usage_error "--src is required (the backup folder written by backup-victoriametrics.sh)"
[[ -n $data_dir ]] || usage_error "--data-dir is required (VictoriaMetrics' -storageDataPath)"
command -v vmrestore >/dev/null || die "vmrestore is required (Debian package victoria-metrics)"
src=$(absolute_path "$src")
data_dir=$(absolute_path "$data_dir")
[[ -d $src ]] || die "no backup folder $src"
[[ -f $src/backup_complete.ignore ]] || die "$src is not a complete vmbackup backup (no backup_complete.ignore)"
if [[ -d $data_dir ]]; then
  ! server_running_on "$data_dir" flock.lock || die "VictoriaMetrics (or another process) is using $data_dir: stop it first"
  dir_is_empty "$data_dir" || ((force)) || die "$data_dir is not empty: restore into an empty dir, or pass --force to replace its contents"
fi
mkdir -p -- "$data_dir"

started=$(date +%s.%N)
log=$(mktemp "${TMPDIR:-/tmp}/vmrestore-log.XXXXXX")
exit_actions+=("rm -f '$log'")
# -httpListenAddr: vmrestore serves its own /metrics while it runs; a free loopback port avoids clashing with :8421.
if ! run_vm_tool "$log" "bytes from backup in" vmrestore -src="fs://$src" -storageDataPath="$data_dir" -httpListenAddr=127.0.0.1:0; then
  tail -n 20 "$log" >&2
  die "vmrestore from $src into $data_dir failed (its last lines above)"
fi

seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
size=$(files_size "$data_dir")
echo "$script_name: $src restored into $data_dir in ${seconds}s ($size bytes); start VictoriaMetrics with -storageDataPath=$data_dir"
