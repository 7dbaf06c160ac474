#!/usr/bin/env bash
# Throughput and latency of Recon's scorer against Kafka's own ConsumerPerformance, in one run:
#   bash tests/bench/throughput.sh                       # 1M events, latency at 5k/10k/20k events/s,
#                                                        # images: max rate, latency at 100/500 images/s
#   bash tests/bench/throughput.sh --events 200000 --rates 5000 --latency-seconds 10
# Options: --events N --partitions P --consumers C --rates R1,R2 --latency-seconds S --out FILE
#          --image-rates R1,R2 --image-burst N --fashion-mnist DIR (the IDX files; the phase is skipped without them)
#          --rest-clients N (16; 0 skips the phase that repeats the first rate while N clients post to /score/telemetry)
#          --scorer.KEY VALUE (a scorer setting)  --scorer-jvm "OPTIONS" (e.g. a JFR recording)
#          --only ceiling (the compute ceiling alone, without a broker: about a minute)
#          --only images (the image phases alone, with one and with two image consumers, then the ceiling: about 4 minutes)
# Writes tests/bench/results/throughput.json (figures, date, machine) and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx2g -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.recon.bench.ThroughputBenchmark "$@"
