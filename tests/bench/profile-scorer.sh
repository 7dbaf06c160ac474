#!/usr/bin/env bash
# Where the scorer's CPU goes at full speed, in the deployed setting (compact verdicts, two stages):
# perf samples the first scorer process of a short throughput run while it drains a backlog of
# recorded flows, and prints the shares by thread, by library and the top functions (JIT-compiled
# Java methods named through the map the JVM writes at exit).
#   bash tests/bench/profile-scorer.sh [OUT_DIR]      # default target/profile; about 8 minutes
#   PROFILE_DELAY=0 bash tests/bench/profile-scorer.sh   # sample from the drain's first second instead
# By default sampling starts 25 s into the drain (1,000,000 events), once the JIT compilers have
# done most of their work; PROFILE_SECONDS sets how long it samples (30).
# Needs perf (Debian linux-perf) and the right to sample another process (root, or
# kernel.perf_event_paranoid <= 1). The run's figures go to OUT_DIR/throughput.json, the report to
# OUT_DIR/profile.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/profile}
seconds=${PROFILE_SECONDS:-30}
delay=${PROFILE_DELAY:-25}
mkdir -p "$out"
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -Xmx2g -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.recon.bench.ThroughputBenchmark --events 1000000 --rates 5000 --latency-seconds 10 --scale-out 0 \
    --rest-clients 0 --image-rates 100 --image-burst 300 --scorer.recon.scoring.verdicts compact \
    --scorer-jvm "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \
    --out "$out/throughput.json" > "$out/bench.log" 2>&1 &
bench=$!
# The first scorer starts once the backlog is loaded and ConsumerPerformance has read it; it drains
# the backlog as soon as it is ready (about 10 s after its start here), so sampling starts then.
pid=""
while [ -z "$pid" ]; do
    kill -0 "$bench" 2>/dev/null || { echo "the benchmark ended before a scorer started:" >&2; tail -20 "$out/bench.log" >&2; exit 1; }
    pid=$(pgrep -f -o 'target/quarkus-app/quarkus-run.jar' || true)
    sleep 0.5
done
until grep -q "Recon scorer.*on the same topic" "$out/bench.log" && grep -q "verdicts/s" "$out/bench.log"; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
done
sleep "$delay"
echo "sampling scorer process $pid for $seconds s, from $delay s into its drain"
perf record -F 499 -g -p "$pid" -o "$out/perf.data" -- sleep "$seconds" 2> "$out/perf-record.log"
wait "$bench"
{
    echo "# scorer process $pid, $seconds s of its backlog drain from $delay s in; $(date -u +%FT%TZ)"
    echo "## by thread"
    perf report -i "$out/perf.data" --no-children --sort comm --stdio -g none --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$'
    echo "## by library"
    perf report -i "$out/perf.data" --no-children --sort dso --stdio -g none --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$'
    echo "## top functions"
    perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0.4 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60
} > "$out/profile.txt"
cat "$out/profile.txt"
