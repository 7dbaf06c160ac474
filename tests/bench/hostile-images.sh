#!/usr/bin/env bash
# What hostile image events cost the scorer's decoder (outcome, seconds, bytes allocated, heap peak):
#   bash tests/bench/hostile-images.sh
# Writes tests/bench/results/hostile-images.json and prints a table. The JVM gets 2 GB of heap, a
# little more than the scorer's share of a 4 GB pod.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.recon.bench.HostileImageBenchmark "$@"
