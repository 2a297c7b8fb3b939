#!/usr/bin/env bash
# Restores a snapshot archive written by backup-prometheus.sh into the data dir of a STOPPED Prometheus.
# Then start Prometheus with --storage.tsdb.path=DIR and a --storage.tsdb.retention.time that still covers the
# restored blocks (older blocks are deleted at start). The data dir must be empty or absent; with --force an
# existing data dir is moved aside to DIR.pre-restore-<time> (printed; delete it once the restore is checked).
set -euo pipefail

script_name=$(basename "$0")
usage="usage: $script_name --archive FILE --data-dir DIR [--force]"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

archive='' data_dir='' force=0
while (($#)); do
  case $1 in
    --archive) need_value "$@"; archive=$2; shift 2 ;;
    --data-dir) need_value "$@"; data_dir=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n $archive ]] || usage_error "--archive is required (a .tar.gz written by backup-prometheus.sh)"
[[ -n $data_dir ]] || usage_error "--data-dir is required (Prometheus' --storage.tsdb.path)"
[[ -f $archive && -r $archive ]] || die "cannot read the archive $archive"
data_dir=$(absolute_path "$data_dir")
[[ $data_dir != / ]] || die "--data-dir cannot be /"
if [[ -d $data_dir ]]; then
  ! server_running_on "$data_dir" lock || die "Prometheus (or another process) is using $data_dir: stop it first"
  dir_is_empty "$data_dir" || ((force)) || die "$data_dir is not empty: restore into an empty dir, or pass --force to move its contents aside"
fi

started=$(date +%s.%N)
# Unpacked next to the data dir (same file system, so the final rename is atomic) and checked before it is used.
parent=$(dirname -- "$data_dir")
mkdir -p -- "$parent"
staging=$(mktemp -d "$parent/.restore-prometheus.XXXXXX")
exit_actions+=("rm -rf -- '$staging'")
tar_error=$(tar -C "$staging" -xzf "$archive" 2>&1) || die "$archive is not a readable tar.gz: $(grep -m 1 . <<<"$tar_error")"
blocks=$(find "$staging" -mindepth 2 -maxdepth 2 -name meta.json | wc -l)
((blocks > 0)) || die "$archive holds no TSDB blocks (no */meta.json): not a Prometheus snapshot"
# The server's own files never belong in a snapshot; drop them if someone archived a data dir by hand.
rm -f -- "$staging/lock" "$staging/queries.active"
chmod 755 "$staging" # mktemp -d made it 0700

if [[ -d $data_dir ]]; then
  if dir_is_empty "$data_dir"; then
    rmdir -- "$data_dir"
  else
    aside=$data_dir.pre-restore-$(date -u +%Y%m%dT%H%M%SZ)
    mv -- "$data_dir" "$aside"
    echo "$script_name: the previous contents of $data_dir are in $aside" >&2
  fi
fi
mv -- "$staging" "$data_dir"

seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "$script_name: $archive ($blocks blocks) restored into $data_dir in ${seconds}s; start Prometheus with --storage.tsdb.path=$data_dir"
