#!/usr/bin/env bash
# Series per agent and per model, counted on a real collector (docs/SCALING.md, "Series per agent and model").
# Starts the built collector on a free loopback port, sends one representative agent's events, then a second model
# for the same agent, then a second agent with both models, and counts the series of each step as Prometheus would
# store them (OpenMetrics exposition: every bucket, _sum, _count and _created is a series).
#   dotnet build src/PerfOtel.Collector -c Release && bash bench/capacity/series-per-agent.sh [EXPOSITION_OUT]
# With EXPOSITION_OUT, the sample lines after the first agent (agent-1, model gpt-4o) are written there: the template
# that synthetic-target.py multiplies into a fleet.
set -euo pipefail
cd "$(dirname "$0")/../.."
dll=src/PerfOtel.Collector/bin/Release/net10.0/PerfOtel.Collector.dll
[[ -f $dll ]] || { echo "build the collector first: dotnet build src/PerfOtel.Collector -c Release" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/key"
ASPNETCORE_URLS=http://127.0.0.1:$port PerfOtel__Ingest__ApiKeys__0__Source=capacity \
  PerfOtel__Ingest__ApiKeys__0__KeyFile="$work/key" PerfOtel__InstanceId=capacity Logging__LogLevel__Default=Warning \
  dotnet "$dll" > "$work/collector.log" 2>&1 &
pid=$!
trap 'set +e; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done

series() { # sample lines of the OpenMetrics exposition, all, and PerfOtel's own (no process_/dotnet_/http_/kestrel_/aspnetcore_/target_info)
  local text; text=$(curl -fs -H 'Accept: application/openmetrics-text;version=1.0.0' "http://127.0.0.1:$port/metrics" | grep -v '^#')
  echo "$(wc -l <<<"$text") $(grep -cvE '^(process_|dotnet_|http_|kestrel_|aspnetcore_|target_info|signalr_|microsoft_)' <<<"$text")"
}
send() {
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/v1/events" -H "Authorization: Bearer $(cat "$work/key")" \
    -H 'Content-Type: application/json' --data-binary @-
}
# One agent's typical day: every run outcome (two error categories), three phases, estimates/blockers/lines/retries,
# three tools (one failing), LLM calls of one model with cached and reasoning tokens, time to first token, two error types.
agent_events() { # agent provider model
  cat <<JSON
{"events":[
 {"type":"run","agent":"$1","team":"team-a","environment":"prod","outcome":"success","duration_seconds":42,"estimated_duration_seconds":60,"blockers":1,"lines_delivered":120,"retries":1,
  "phases":[{"name":"plan","duration_seconds":5},{"name":"execute","duration_seconds":30},{"name":"review","duration_seconds":7}]},
 {"type":"run","agent":"$1","team":"team-a","environment":"prod","outcome":"failure","error_category":"timeout","duration_seconds":300,"phases":[{"name":"plan","duration_seconds":5}]},
 {"type":"run","agent":"$1","team":"team-a","environment":"prod","outcome":"failure","error_category":"tool_error","duration_seconds":20},
 {"type":"run","agent":"$1","team":"team-a","environment":"prod","outcome":"blocked","error_category":"waiting_on_human","duration_seconds":5},
 {"type":"run","agent":"$1","team":"team-a","environment":"prod","outcome":"cancelled","duration_seconds":2},
 {"type":"tool_call","agent":"$1","team":"team-a","tool":"web_search","duration_seconds":0.8,"outcome":"success"},
 {"type":"tool_call","agent":"$1","team":"team-a","tool":"shell","duration_seconds":1.2,"outcome":"success"},
 {"type":"tool_call","agent":"$1","team":"team-a","tool":"shell","duration_seconds":1.2,"outcome":"failure","error_type":"exit_code"},
 {"type":"tool_call","agent":"$1","team":"team-a","tool":"code_search","duration_seconds":0.3,"outcome":"success"},
$(model_events "$1" "$2" "$3")
]}
JSON
}
model_events() { # agent provider model
  cat <<JSON
 {"type":"llm_call","agent":"$1","team":"team-a","provider":"$2","model":"$3","operation":"chat","input_tokens":1200,"cached_input_tokens":800,"output_tokens":300,"reasoning_tokens":100,"duration_seconds":1.8,"time_to_first_token_seconds":0.3},
 {"type":"llm_call","agent":"$1","team":"team-a","provider":"$2","model":"$3","operation":"chat","input_tokens":1200,"output_tokens":0,"duration_seconds":0.4,"error_type":"rate_limited"},
 {"type":"llm_call","agent":"$1","team":"team-a","provider":"$2","model":"$3","operation":"chat","input_tokens":1200,"output_tokens":0,"duration_seconds":30,"error_type":"timeout"}
JSON
}

read -r s0 o0 < <(series)
agent_events agent-1 openai gpt-4o | send;                                   read -r s1 o1 < <(series)
if [[ -n ${1:-} ]]; then
  curl -fs -H 'Accept: application/openmetrics-text;version=1.0.0' "http://127.0.0.1:$port/metrics" | grep -v '^#' > "$1"
fi
printf '{"events":[\n%s\n]}' "$(model_events agent-1 anthropic claude-sonnet-4)" | send; read -r s2 o2 < <(series)
agent_events agent-2 openai gpt-4o | send
printf '{"events":[\n%s\n]}' "$(model_events agent-2 anthropic claude-sonnet-4)" | send;  read -r s3 o3 < <(series)

per_model=$((o2 - o1))
per_agent_fixed=$((o3 - o2 - 2 * per_model))
echo "series in the exposition (all / PerfOtel's own):"
echo "  idle collector                      $s0 / $o0"
echo "  + agent-1 with 1 model              $s1 / $o1"
echo "  + a 2nd model for agent-1           $s2 / $o2"
echo "  + agent-2 with the same 2 models    $s3 / $o3"
echo "per agent (runs, phases, tools, team, environment): $per_agent_fixed"
echo "per agent x model (LLM calls, tokens, cost):          $per_model"
echo "shared, once per collector (PerfOtel's own, before any agent): $o0; after the first agent also $((o1 - o0 - per_agent_fixed - per_model)) more"
echo "model: series(agents, models per agent) = $o0 + agents x ($per_agent_fixed + models x $per_model) (+ process/runtime $((s0 - o0)))"
