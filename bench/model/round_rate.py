#!/usr/bin/python3
"""Training tokens/s of a pretrain run from its metrics.jsonl: tokens / fit seconds over its averaging rounds (each
round's row has its tokens_seen and tokens_per_s, the rate over its fit time).

  round_rate.py METRICS_JSONL [--from-step S]
  without --from-step: every round after the first (executor start-up and the first round's JIT not counted)
  with --from-step S:  the rounds that start at or after step S; prints nothing when there are none
"""
import argparse, json

p = argparse.ArgumentParser()
p.add_argument("metrics")
p.add_argument("--from-step", type=int)
a = p.parse_args()
rows = [json.loads(line) for line in open(a.metrics) if line.strip()]
rounds = [(prev, r) for prev, r in zip(rows, rows[1:]) if r.get("tokens_per_s")]
rounds = rounds[1:] if a.from_step is None else [(prev, r) for prev, r in rounds if prev["step"] >= a.from_step]
if rounds:
    tokens = [r["tokens_seen"] - prev["tokens_seen"] for prev, r in rounds]
    print(f"{sum(tokens) / sum(t / r['tokens_per_s'] for t, (_, r) in zip(tokens, rounds)):.1f}")
