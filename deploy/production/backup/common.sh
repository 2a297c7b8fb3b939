# shellcheck shell=bash disable=SC2034,SC2154  # script_name and usage come from the sourcing script; http_* are results
# Sourced by the backup scripts (not run on its own): one-line errors, cleanup on exit, curl with an optional
# TLS CA file and HTTP basic auth, and the checks on data dirs. The password never reaches a command line (ps,
# shell history, CI logs): it is read from a file into a curl config file of mode 0600 that curl reads with
# --config and that is deleted on exit.

# Commands run on exit (cleanup of temp files, snapshots), last registered first.
exit_actions=()
run_exit_actions() {
  local i
  for ((i = ${#exit_actions[@]} - 1; i >= 0; i--)); do
    eval "${exit_actions[i]}" || true
  done
}
trap run_exit_actions EXIT

die() {
  echo "$script_name: $*" >&2
  exit 1
}

# Usage error: the message, then the usage line; exit 2.
usage_error() {
  echo "$script_name: $*" >&2
  echo "$usage" >&2
  exit 2
}

# An option's value: "$2" must exist and not be another option.
need_value() {
  [[ $# -ge 2 && -n $2 && $2 != --* ]] || usage_error "$1 needs a value"
}

curl_args=()

# curl_init USER PASSWORD_FILE CACERT (each may be empty).
curl_init() {
  local user=$1 password_file=$2 cacert=$3 password config
  command -v curl >/dev/null || die "curl is required"
  curl_args=(--silent --show-error --max-time "${BACKUP_HTTP_TIMEOUT:-600}")
  if [[ -n $cacert ]]; then
    [[ -r $cacert ]] || die "cannot read the CA file $cacert"
    curl_args+=(--cacert "$cacert")
  fi
  if [[ -z $user && -z $password_file ]]; then
    return 0
  fi
  [[ -n $user && -n $password_file ]] || die "--user and --password-file go together"
  [[ -r $password_file ]] || die "cannot read the password file $password_file"
  [[ $user != *:* ]] || die "a basic auth user name cannot contain ':'"
  password=$(<"$password_file") # drops the trailing newline(s)
  [[ -n $password ]] || die "the password file $password_file is empty"
  [[ $password != *$'\n'* ]] || die "the password file $password_file has more than one line"
  config=$(umask 077 && mktemp "${TMPDIR:-/tmp}/backup-curl.XXXXXX")
  exit_actions+=("rm -f '$config'")
  # curl config syntax: inside double quotes, backslash and quote are escaped with a backslash.
  user=${user//\\/\\\\} user=${user//\"/\\\"}
  password=${password//\\/\\\\} password=${password//\"/\\\"}
  printf 'user = "%s:%s"\n' "$user" "$password" >"$config"
  curl_args+=(--config "$config")
}

# http_call METHOD URL: sets http_status and http_body; dies with curl's one-line error when no answer came.
http_call() {
  local method=$1 url=$2 body_file err_file err
  body_file=$(mktemp "${TMPDIR:-/tmp}/backup-body.XXXXXX")
  err_file=$(mktemp "${TMPDIR:-/tmp}/backup-err.XXXXXX")
  exit_actions+=("rm -f '$body_file' '$err_file'")
  if ! http_status=$(curl "${curl_args[@]}" -X "$method" -o "$body_file" -w '%{http_code}' "$url" 2>"$err_file"); then
    err=$(head -n 1 "$err_file")
    die "$method $url failed: ${err#curl: }"
  fi
  http_body=$(<"$body_file")
  [[ $http_status != 401 ]] || die "$method $url answered 401: wrong or missing credentials (--user, --password-file)"
}

# The value of a string field in a flat JSON answer (both APIs answer with one line; no jq needed).
json_string() {
  sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" <<<"$2" | head -n 1
}

# Is a server running on the data dir DIR? True when another process holds the flock(2) lock on DIR/LOCK_FILE
# (VictoriaMetrics: flock.lock; Prometheus: lock, only with --storage.tsdb.use-lockfile) or has any file under DIR
# open (Prometheus keeps its WAL segment open). Processes of other users are visible to root only.
server_running_on() {
  local dir=$1 lock_file=$2 pattern
  if [[ -e $dir/$lock_file ]] && command -v flock >/dev/null && ! flock --nonblock --no-fork "$dir/$lock_file" true 2>/dev/null; then
    return 0
  fi
  # find's -lname takes a glob: escape the glob characters of the dir's own name.
  # shellcheck disable=SC2001
  pattern="$(sed 's/[][*?\\]/\\&/g' <<<"$dir")/*"
  [[ -n $(find /proc/[0-9]*/fd -maxdepth 1 -lname "$pattern" -print -quit 2>/dev/null) ]]
}

# Absolute path without requiring it to exist.
absolute_path() {
  realpath -m -- "$1"
}

# Total bytes of the files under DIR (du -sb would add the directories' own sizes).
files_size() {
  find "$1" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }'
}

dir_is_empty() {
  [[ -z $(ls -A -- "$1") ]]
}

# run_vm_tool LOG COMPLETION_TEXT TOOL ARGS...: runs vmbackup/vmrestore with its log in LOG. Succeeds when the tool
# does, and also when the tool logged COMPLETION_TEXT and then only panicked stopping its own /metrics server:
# vmbackup/vmrestore 1.79 start that server in a goroutine and panic ("there is no http server") when the work
# finished before it was registered, which happens for small, fast backups.
run_vm_tool() {
  local log=$1 done_text=$2
  shift 2
  "$@" >"$log" 2>&1 && return 0
  grep -q -- "$done_text" "$log" && grep -q 'BUG: there is no http server' "$log"
}
