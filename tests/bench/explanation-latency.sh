#!/usr/bin/env bash
# Alert-to-explanation latency of the explainer role through a real broker, with the transformer's
# own per-alert time (the compute floor) measured in the same run as the baseline:
#   bash tests/bench/explanation-latency.sh                      # 100 and 200 alerts/s, 30 s each
#   bash tests/bench/explanation-latency.sh --rates 100,400 --seconds 60
# Options: --rates R1,R2 --seconds S --warmup-seconds W --explainer DIR --out FILE
#   --broker-warm-up-seconds B (default 60: traffic through the broker and this JVM's clients before
#   the role starts, as beside a broker already serving; 0: all of it starts cold)
# Writes tests/bench/results/explanation-latency.json (figures, date, machine) and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx1g -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.recon.bench.ExplanationLatencyBenchmark "$@"
