#!/usr/bin/env python3
"""VictoriaMetrics JSON-line import of a fleet's history (docs/SCALING.md): the series of synthetic-target.py (a real
collector's labels for AGENTS x MODELS, plus job/instance) with POINTS samples each, STEP seconds apart, ending now,
and the same value model (half the series constant, the others growing by random whole increments whose mean is
0.05-2 per step), with scrape-like timestamps (0-20 ms of jitter). Writes to stdout.
  python3 synthetic-import.py TEMPLATE AGENTS MODELS POINTS STEP | curl --data-binary @- .../api/v1/import
"""
import json
import random
import re
import sys
import time

template, agents, models, points, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = [l.strip() for l in open(template) if l.strip() and not l.startswith("#")]
label_re = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(line):
    name, _, rest = line.partition("{")
    name = name.split()[0]
    labels = dict(label_re.findall(rest)) if rest else {}
    return name, labels


parsed = [parse(l) for l in lines]
agent_series = [p for p in parsed if p[1].get("gen_ai_agent_name") == "agent-1" and "gen_ai_request_model" not in p[1]]
model_series = [p for p in parsed if p[1].get("gen_ai_agent_name") == "agent-1" and p[1].get("gen_ai_request_model") == "gpt-4o"]
end = int(time.time()) // step * step
base = [(end - (points - 1 - i) * step) * 1000 for i in range(points)]
rng = random.Random(42)
out = sys.stdout
count = 0


def emit(name, labels):
    global count
    metric = {"__name__": name, "job": "perfotel-collector", "instance": "collector-1:8080", **labels}
    rate = 0.0 if name.endswith("_created") or rng.random() < 0.5 else rng.uniform(0.05, 2.0)
    whole, frac = int(rate), rate - int(rate)
    values, v = [], 0
    for _ in range(points):
        if rate:
            v += whole + (1 if rng.random() < frac else 0)
        values.append(v)
    timestamps = [t + rng.randrange(20) for t in base]
    out.write('{"metric":' + json.dumps(metric) + ',"values":' + json.dumps(values) + ',"timestamps":' + json.dumps(timestamps) + "}\n")
    count += 1


for a in range(agents):
    agent = f"agent-{a:05d}"
    for name, labels in agent_series:
        emit(name, {**labels, "gen_ai_agent_name": agent})
    for m in range(models):
        for name, labels in model_series:
            emit(name, {**labels, "gen_ai_agent_name": agent, "gen_ai_request_model": f"model-{m:03d}"})
print(f"{count} series x {points} samples = {count * points} samples", file=sys.stderr)
