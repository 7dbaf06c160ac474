#!/usr/bin/python3
"""Sanity report for a flow CSV (plain or .gz): rows per generator/label,
medians of a few features per generator, and format checks (numeric columns
parse as plain decimals, categorical columns never look numeric, ids unique).
Exit status 1 if a format check fails."""
import csv
import os
import gzip
import re
import statistics
import sys
from collections import Counter, defaultdict

MEDIANS = ["duration_s", "src_packets", "dst_packets", "src_bytes", "dst_bytes",
           "syn_count", "rst_count", "mean_iat_s", "src_rate_pps"]
CATEGORICAL = {"id", "generator", "label", "proto", "state", "service", "dst_port", "tcp_opts"}
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def main(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    cols = list(rows[0].keys()) if rows else []
    problems = []
    ids = Counter(r["id"] for r in rows)
    if any(n > 1 for n in ids.values()):
        problems.append("duplicate ids")
    for c in cols:
        vals = [r[c] for r in rows]
        if c in CATEGORICAL:
            bad = [x for x in vals if x == "" or DECIMAL.match(x)]
            if bad:
                problems.append(f"categorical {c} has numeric-looking/empty values e.g. {bad[:3]}")
        else:
            bad = [x for x in vals if not DECIMAL.match(x)]
            if bad:
                problems.append(f"numeric {c} has non-decimal values e.g. {bad[:3]}")

    by_gen = defaultdict(list)
    for r in rows:
        by_gen[(r["label"], r["generator"])].append(r)
    labels = Counter(r["label"] for r in rows)
    print(f"file: {os.path.basename(path)}")
    print(f"rows: {len(rows)}  " + "  ".join(f"{k}={v}" for k, v in sorted(labels.items())))
    print(f"columns ({len(cols)}): {','.join(cols)}")
    head = f"{'label':7s} {'generator':20s} {'rows':>6s} {'share':>6s} " + " ".join(f"{m[:11]:>11s}" for m in MEDIANS)
    print("medians per generator:")
    print(head)
    for (label, gen), rs in sorted(by_gen.items()):
        share = 100.0 * len(rs) / labels[label]
        meds = []
        for m in MEDIANS:
            x = statistics.median(float(r[m]) for r in rs)
            meds.append(f"{x:11.4g}")
        print(f"{label:7s} {gen:20s} {len(rs):6d} {share:5.1f}% " + " ".join(meds))
    states = defaultdict(Counter)
    for r in rows:
        states[r["generator"]][f"{r['proto']}/{r['state']}"] += 1
    print("top proto/state per generator:")
    for gen in sorted(states):
        print(f"  {gen:20s} " + ", ".join(f"{k}:{n}" for k, n in states[gen].most_common(4)))
    if problems:
        print("FORMAT PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    print("format checks: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
