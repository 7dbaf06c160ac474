#!/usr/bin/env bash
# Whether two revisions give the same benchmark figures: builds each in a temporary git worktree,
# runs short fashion-mnist-benchmark and ct-slice-benchmark runs on one thread (so the kernels'
# summation order is fixed), and compares the JSON reports without their timings, dates and
# machine description. Exits 1 on any difference. For refactors that must not change results:
#   bash tests/bench/same-figures.sh 2d865a3 HEAD
# Needs the Debian packages dataset-fashion-mnist and invesalius-examples. ~6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 2 ] || { echo "usage: $0 REV_BEFORE REV_AFTER" >&2; exit 2; }
work=$(mktemp -d)
trap 'for d in "$work"/src-*; do git worktree remove --force "$d" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1
for side in before after; do
    rev=$([ $side = before ] && echo "$1" || echo "$2")
    git worktree add -f --detach "$work/src-$side" "$rev" -q
    (cd "$work/src-$side" && mvn -B -q package -DskipTests)
    run() { (cd "$work/src-$side" && java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
        -jar target/quarkus-app/quarkus-run.jar "$@" > "$work/$side-$1.log" 2>&1); }
    run fashion-mnist-benchmark --classes 1 --epochs 1 --train-limit 600 --test-limit 1000 --out "$work/$side/fm"
    run ct-slice-benchmark --epochs 2 --copies 1 --variants 1 --out "$work/$side/ct"
    echo "$side ($rev): figures written"
done
python3 - "$work" <<'PY'
import json, sys, glob, difflib
work = sys.argv[1]
def strip(d):
    if isinstance(d, dict):
        return {k: strip(v) for k, v in d.items()
                if k not in ("date", "machine", "command") and not k.lower().endswith("seconds")}
    if isinstance(d, list):
        return [strip(x) for x in d]
    return d
same = True
for name in ("fm/fashion-mnist.json", "ct/ct-slices.json"):
    a, b = (json.dumps(strip(json.load(open(f"{work}/{side}/{name}"))), sort_keys=True, indent=1).splitlines()
            for side in ("before", "after"))
    diff = list(difflib.unified_diff(a, b, "before", "after", lineterm="", n=0))
    print(f"{name}: {'same figures' if not diff else 'DIFFERENT'}")
    for line in diff[:40]:
        print("  " + line)
    same = same and not diff
sys.exit(0 if same else 1)
PY
