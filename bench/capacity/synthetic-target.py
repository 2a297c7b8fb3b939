#!/usr/bin/env python3
"""A scrape target that looks like a collector serving a whole fleet (docs/SCALING.md).

Reads the sample lines a real collector exposed for one agent with one model (series-per-agent.sh EXPOSITION_OUT)
and serves them multiplied into AGENTS agents x MODELS models, with the real label names and values (agent and
model names replaced), in the Prometheus text format. Values move like a fleet's counters: half of the series never
change (rare error types, high buckets), the others grow by a random whole increment per scrape whose mean is a
per-series rate between 0.05 and 2 (so most of them stand still in most scrapes, as buckets of a quiet agent do).
Loopback only.  python3 synthetic-target.py TEMPLATE PORT AGENTS MODELS
"""
import http.server
import random
import re
import sys

template, port, agents, models = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = [l.rstrip("\n") for l in open(template) if l.strip() and not l.startswith("#")]
series = [re.sub(r"\s+\S+(\s+\S+)?$", "", l) for l in lines]  # drop value (and timestamp)
agent_lines = [s for s in series if 'gen_ai_agent_name="agent-1"' in s and 'gen_ai_request_model=' not in s]
model_lines = [s for s in series if 'gen_ai_agent_name="agent-1"' in s and 'gen_ai_request_model="gpt-4o"' in s]
shared = [s for s in series if 'gen_ai_agent_name="agent-1"' not in s]

names = []
for a in range(agents):
    agent = f'gen_ai_agent_name="agent-{a:05d}"'
    names += [s.replace('gen_ai_agent_name="agent-1"', agent) for s in agent_lines]
    for m in range(models):
        names += [s.replace('gen_ai_agent_name="agent-1"', agent).replace('gen_ai_request_model="gpt-4o"', f'gen_ai_request_model="model-{m:03d}"') for s in model_lines]
names += shared
rng = random.Random(42)
prefixes = [n.encode() + b" " for n in names]
rates = [0.0 if n.rsplit("{", 1)[0].endswith("_created") or rng.random() < 0.5 else rng.uniform(0.05, 2.0) for n in names]
print(f"{len(names)} series: {agents} agents x ({len(agent_lines)} + {models} models x {len(model_lines)}) + {len(shared)}", flush=True)
values = [0] * len(names)
changing = [i for i, r in enumerate(rates) if r > 0]


def advance():
    for i in changing:
        whole = int(rates[i])
        values[i] += whole + (1 if rng.random() < rates[i] - whole else 0)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        advance()
        body = b"".join(p + str(v).encode() + b"\n" for p, v in zip(prefixes, values))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
