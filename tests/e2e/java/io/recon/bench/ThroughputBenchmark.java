package io.recon.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.recon.kafka.EmbeddedKafkaBroker;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.e2e.ReconProcess;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.bundle.ModelBundle;
import io.recon.event.ImageEventDecoder;
import io.recon.scorer.ImageScorer;
import io.recon.progress.ProgressMeter;
import io.recon.replay.FlowEventFactory;
import io.recon.nn.vae.PlainJavaVaeScorer;

/**
 * Recon's scorer against Kafka itself, in one run on one machine: a real broker, N recorded
 * flow events in a multi-partition topic, Kafka's ConsumerPerformance reading them, then
 * Recon's scorer (the packaged jar) reading, scoring and writing a verdict for each, and the
 * ratio of the two. Then event-to-verdict latency at fixed offered loads; then image events
 * (real Fashion-MNIST test images as PNG) through the same scorer: the most it takes per second
 * and the latency at fixed rates; and the per-core compute ceiling (a plain-Java forward pass of
 * the same VAE) beside DJL's batched cost.
 *
 * <p>A benchmark, not a test: it asserts nothing about speed, it records the figures. Run it
 * with {@code bash tests/bench/throughput.sh [--events N] ...}.
 */
public final class ThroughputBenchmark {

    private static final String TOPIC = "telemetry.events";
    private static final String IMAGE_TOPIC = "imaging.events";
    /** Distinct test images encoded once and cycled; the scorer sees fresh ids, never a cache. */
    private static final int IMAGE_POOL = 1000;
    /** Issue 14's latency goal: p99 under 50 ms at this many events per second. */
    private static final int LATENCY_GOAL_RATE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int events;
    private final int partitions;
    private final List<Integer> rates;
    private final int latencySeconds;
    private final Path flows;
    private final Path out;
    private final int consumers;
    private final Map<String, String> scorerProperties = new LinkedHashMap<>();
    private final List<String> scorerJvmOptions;
    private final List<Integer> imageRates;
    private final int imageBurst;
    private final Path fashionMnist;
    private final int restClients;
    private final List<Integer> scaleOut;
    private final boolean ceilingOnly;
    private final boolean imagesOnly;

    private ThroughputBenchmark(Map<String, String> o) {
        // --scorer.KEY VALUE passes -DKEY=VALUE to the scorer, to try a setting.
        o.forEach((k, v) -> {
            if (k.startsWith("scorer.")) {
                scorerProperties.put(k.substring("scorer.".length()), v);
            }
        });
        this.events = Integer.parseInt(o.getOrDefault("events", "1000000"));
        this.partitions = Integer.parseInt(o.getOrDefault("partitions", "4"));
        this.rates = Arrays.stream(o.getOrDefault("rates", "5000,10000,20000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        this.latencySeconds = Integer.parseInt(o.getOrDefault("latency-seconds", "20"));
        this.flows = Path.of(o.getOrDefault("flows", "tests/data/telemetry/flows.csv.gz"));
        this.out = Path.of(o.getOrDefault("out", "tests/bench/results/throughput.json"));
        this.consumers = Integer.parseInt(o.getOrDefault("consumers", "2"));
        this.imageRates = Arrays.stream(o.getOrDefault("image-rates", "100,500").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        this.imageBurst = Integer.parseInt(o.getOrDefault("image-burst", "5000"));
        this.fashionMnist = Path.of(o.getOrDefault("fashion-mnist", "/usr/share/datasets/fashion-mnist"));
        this.restClients = Integer.parseInt(o.getOrDefault("rest-clients", "16"));
        // --scale-out 1,2,4: that many scorer processes in one group on the topic; "0" skips the phase.
        this.scaleOut = Arrays.stream(o.getOrDefault("scale-out", "1,2,4").split(",")).map(String::trim)
                .map(Integer::parseInt).filter(n -> n > 0).toList();
        // --scorer-jvm "-XX:StartFlightRecording=..." profiles the scorer (space-separated options).
        String jvm = o.getOrDefault("scorer-jvm", "").trim();
        this.scorerJvmOptions = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
        // --only ceiling: the compute ceiling alone (no broker, about a minute), to compare scoring code;
        // --only images: the image path alone against a broker, with one and with two image consumers.
        String only = o.getOrDefault("only", "");
        if (!only.isEmpty() && !"ceiling".equals(only) && !"images".equals(only)) {
            throw new IllegalArgumentException("--only takes 'ceiling' or 'images', got '" + only + "'");
        }
        this.ceilingOnly = !only.isEmpty();
        this.imagesOnly = "images".equals(only);
    }

    /** Entry point: {@code --events N --partitions P --rates R1,R2 --latency-seconds S --out FILE}. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new ThroughputBenchmark(options).run();
        System.exit(0);
    }

    /** Runs every phase and writes the report; returns it. */
    public ObjectNode run() throws Exception {
        ObjectNode report = JSON.createObjectNode();
        report.put("date", Instant.now().toString());
        ObjectNode machine = report.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryGiB", Math.round(physicalMemoryGiB()));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.version"));
        report.put("events", events);
        report.put("partitions", partitions);
        report.put("scorerConsumers", consumers);
        report.set("scorerProperties", JSON.valueToTree(scorerProperties));
        report.set("scorerJvmOptions", JSON.valueToTree(scorerJvmOptions));
        Table table = TabularReader.read(flows);
        FlowEventFactory factory = new FlowEventFactory(JSON, table, "bench");
        report.put("data", flows + " (" + table.size() + " recorded flows, repeated with fresh ids)");

        if (!ceilingOnly) {
            brokerPhases(report, factory);
        }
        if (imagesOnly) {
            report.set("imagesAlone", imagesAlone());
        }
        report.set("computeCeiling", computeCeiling(factory, table));

        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), report);
        printSummary(report);
        return report;
    }

    /** Every phase that runs against a broker: load, ConsumerPerformance, the scorer's modes, scale-out. */
    private void brokerPhases(ObjectNode report, FlowEventFactory factory) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start()) {
            broker.createTopics(Map.of(TOPIC, partitions, "recon.verdicts", partitions, "recon.alerts", partitions,
                    "telemetry.events.dlq", 1, IMAGE_TOPIC, partitions, "imaging.events.dlq", 1));
            String bootstrap = broker.bootstrapServers();
            log("loading %,d events into %s (%d partitions)", events, TOPIC, partitions);
            report.set("produce", load(bootstrap, factory));

            ObjectNode cp = consumerPerformance(bootstrap);
            report.set("kafkaConsumerPerformance", cp);

            ObjectNode recon = scorerThroughput(bootstrap, Map.of(), true, rates);
            report.set("reconScorer", recon);
            double ratio = recon.path("eventsPerSecond").asDouble() / cp.path("fetchEventsPerSecond").asDouble();
            report.put("ratioScorerToConsumerPerformance", round(ratio, 3));
            if (!"false".equals(scorerProperties.get("recon.scoring.two-stage"))) {
                // The same topic once more, every event with all K samples: the two-stage path's baseline.
                ObjectNode full = scorerThroughput(bootstrap, Map.of("recon.scoring.two-stage", "false"), false,
                        rates.subList(0, 1));
                report.set("reconScorerFullIwae", full);
                report.put("ratioFullIwaeScorerToConsumerPerformance", round(full.path("eventsPerSecond").asDouble()
                        / cp.path("fetchEventsPerSecond").asDouble(), 3));
            }
            if (!scorerProperties.containsKey("recon.scoring.verdicts")) {
                // Compact verdicts (the Kubernetes and Compose setting), two stages: the deployed
                // setting, so its latency at every rate up to the goal's 10,000 events/s.
                ObjectNode compact = scorerThroughput(bootstrap, Map.of("recon.scoring.verdicts", "compact"), false,
                        rates.stream().filter(r -> r <= LATENCY_GOAL_RATE).toList());
                report.set("reconScorerCompactVerdicts", compact);
                report.put("ratioCompactScorerToConsumerPerformance", round(compact.path("eventsPerSecond")
                        .asDouble() / cp.path("fetchEventsPerSecond").asDouble(), 3));
            }
            if (!scorerProperties.containsKey("recon.scoring.verdicts")) {
                // Alerts only: the broker takes a write per alert, none per normal event.
                report.set("reconScorerAlertsOnly", alertsOnly(bootstrap, cp));
            }
            if (!scaleOut.isEmpty()) {
                report.set("scaleOut", scaleOut(bootstrap, cp));
            }
            report.put("ratioBasis", "scorer events/s (first verdict to last verdict) over ConsumerPerformance "
                    + "fetch events/s (first fetch to last, rebalance excluded)");
        }
    }

    private ObjectNode load(String bootstrap, FlowEventFactory factory) {
        long started = System.nanoTime();
        ProgressMeter progress = ProgressMeter.forConsole(System.out);
        try (KafkaProducer<String, String> producer = producer(bootstrap, 50)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < events; i++) {
                String id = "bench-" + i;
                producer.send(new ProducerRecord<>(TOPIC, id, withId(factory.event(i % factory.size(), 1, now), id)));
                progress.advance(i, events, "events", "sent to " + TOPIC);
            }
            producer.flush();
        }
        progress.advance(events, events, "events", "acknowledged");
        double seconds = (System.nanoTime() - started) / 1e9;
        ObjectNode n = JSON.createObjectNode();
        n.put("seconds", round(seconds, 2));
        n.put("eventsPerSecond", Math.round(events / seconds));
        return n;
    }

    private ObjectNode consumerPerformance(String bootstrap) throws Exception {
        log("Kafka ConsumerPerformance on the same topic");
        List<String> command = List.of(javaBinary(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--messages", Integer.toString(events), "--group", "cp-" + UUID.randomUUID(), "--timeout", "120000");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                lines.add(line);
            }
        }
        p.waitFor();
        // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
        // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of values.
        Map<String, String> v = new LinkedHashMap<>();
        String[] names = null;
        for (String line : lines) {
            if (line.startsWith("start.time")) {
                names = line.split(",\\s*");
            } else if (names != null && line.matches("^\\d{4}-\\d{2}-\\d{2} .*") && line.split(",").length == names.length) {
                String[] values = line.split(",\\s*");
                for (int i = 0; i < names.length; i++) {
                    v.put(names[i].trim(), values[i].trim());
                }
            }
        }
        if (!v.containsKey("fetch.nMsg.sec")) {
            throw new IllegalStateException("ConsumerPerformance printed no result:\n" + String.join("\n", lines));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("events", Long.parseLong(v.get("data.consumed.in.nMsg")));
        n.put("eventsPerSecond", Math.round(Double.parseDouble(v.get("nMsg.sec"))));
        n.put("fetchEventsPerSecond", Math.round(Double.parseDouble(v.get("fetch.nMsg.sec"))));
        n.put("mbPerSecond", round(Double.parseDouble(v.get("MB.sec")), 2));
        n.put("rebalanceMs", Long.parseLong(v.get("rebalance.time.ms")));
        return n;
    }

    /**
     * The packaged scorer, in a fresh consumer group, through the whole topic, then its latency at
     * {@code latencyRates}; with {@code phases}, then the REST-load and image phases against the
     * same process.
     */
    private ObjectNode scorerThroughput(String bootstrap, Map<String, String> overrides, boolean phases,
            List<Integer> latencyRates) throws Exception {
        log("Recon scorer (packaged jar) on the same topic %s", overrides.isEmpty() ? "" : overrides);
        String group = "bench-scorer-" + UUID.randomUUID();
        Map<String, String> props = benchScorer(bootstrap, group, consumers);
        props.putAll(overrides);
        long before;
        try (Admin admin = admin(bootstrap)) {
            // A later phase finds the verdicts of the earlier ones on the topic: count from here.
            before = endOffsetSum(admin, "recon.verdicts");
        }
        long launched = System.nanoTime();
        try (ReconProcess scorer = ReconProcess.start(scorerJvmOptions, props); Admin admin = admin(bootstrap)) {
            long first = 0;
            long firstCount = 0;
            long done = 0;
            long deadline = launched + Duration.ofMinutes(20).toNanos();
            ProgressMeter progress = ProgressMeter.forConsole(System.out);
            while (System.nanoTime() < deadline) {
                long verdicts = endOffsetSum(admin, "recon.verdicts") - before;
                progress.advance(Math.min(verdicts, events), events, "verdicts", "from the scorer");
                if (first == 0 && verdicts > 0) {
                    first = System.nanoTime();
                    firstCount = verdicts;
                }
                if (verdicts >= events) {
                    done = System.nanoTime();
                    break;
                }
                if (!scorer.isAlive()) {
                    throw new IllegalStateException("scorer exited:\n" + scorer.tail(40));
                }
                Thread.sleep(100);
            }
            if (done == 0) {
                throw new IllegalStateException("scorer did not finish in 20 minutes:\n" + scorer.tail(40));
            }
            long committedAt = 0;
            // Everything on the topic, the earlier phases' latency events included, so that this
            // variant's latency run starts with no backlog.
            long end = endOffsetSum(admin, TOPIC);
            while (System.nanoTime() < deadline) {
                if (committedSum(admin, group) >= end) {
                    committedAt = System.nanoTime();
                    break;
                }
                Thread.sleep(100);
            }
            ObjectNode n = JSON.createObjectNode();
            double steady = (done - first) / 1e9;
            n.put("eventsPerSecond", Math.round((events - firstCount) / steady));
            n.put("eventsPerSecondIncludingStartup", Math.round(events / ((done - launched) / 1e9)));
            n.put("secondsFirstToLastVerdict", round(steady, 2));
            n.put("secondsUntilAllOffsetsCommitted", round((committedAt - launched) / 1e9, 2));
            n.put("measured", "verdicts written to recon.verdicts (log end offsets), then committed offsets of the "
                    + "scorer's group; every event decoded, encoded, scored (reconstruction, -ELBO, IWAE K=16) and "
                    + "its verdict (and alert, if any) acknowledged by the broker before its offset was committed");
            n.set("scorerMetrics", scorerMetrics(Integer.parseInt(props.get("quarkus.http.port"))));
            if (phases) {
                n.set("loadGeneratorWarmUp", loadGeneratorWarmUp(bootstrap));
            }
            // A variant's latency beside the default's: an A/B within one run.
            n.set("latency", latency(bootstrap, scorer, latencyRates, phases ? "lat" : "lat-" + overrides.hashCode() + "-"));
            if (!phases) {
                return n;
            }
            if (restClients > 0) {
                n.set("latencyUnderRestLoad", latencyUnderRestLoad(bootstrap, scorer,
                        Integer.parseInt(props.get("quarkus.http.port")), n.path("latency").path(0)));
            }
            n.set("scorerMetricsAfterLatency", scorerMetrics(Integer.parseInt(props.get("quarkus.http.port"))));
            n.set("imaging", imaging(bootstrap, scorer, IMAGE_TOPIC, "img"));
            return n;
        }
    }

    /**
     * The packaged scorer writing alerts only (no verdict for a normal event): done when the group's
     * committed offsets reach the topic's end. Offsets are committed once a second, so the figure is
     * a little low and its start and end are known to about a second.
     */
    private ObjectNode alertsOnly(String bootstrap, JsonNode cp) throws Exception {
        log("Recon scorer (packaged jar), alerts only, on the same topic");
        Map<String, String> props = benchScorer(bootstrap, "bench-alerts-only-" + UUID.randomUUID(), consumers);
        props.put("recon.scoring.verdicts", "alerts-only");
        String group = props.get("mp.messaging.incoming.telemetry-events.group.id");
        try (ReconProcess scorer = ReconProcess.start(scorerJvmOptions, props); Admin admin = admin(bootstrap)) {
            long end = endOffsetSum(admin, TOPIC);
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            long first = 0;
            long firstCount = 0;
            while (System.nanoTime() < deadline) {
                long committed = committedSum(admin, group);
                if (first == 0 && committed > 0) {
                    first = System.nanoTime();
                    firstCount = committed;
                }
                if (committed >= end) {
                    double seconds = (System.nanoTime() - first) / 1e9;
                    ObjectNode n = JSON.createObjectNode();
                    n.put("eventsPerSecond", Math.round((end - firstCount) / seconds));
                    n.put("secondsFirstToLastCommit", round(seconds, 2));
                    n.put("ratioToConsumerPerformance", round((end - firstCount) / seconds
                            / cp.path("fetchEventsPerSecond").asDouble(), 3));
                    n.put("measured", "committed offsets of the scorer's group, first commit to the topic's end "
                            + "(every event on the topic, earlier phases' latency events included)");
                    return n;
                }
                if (!scorer.isAlive()) {
                    throw new IllegalStateException("scorer exited:\n" + scorer.tail(40));
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("alerts-only scorer did not finish in 20 minutes:\n" + scorer.tail(40));
        }
    }

    /**
     * 1, 2, 4... scorer processes in one consumer group on the topic (compact verdicts, the Kubernetes
     * setting), each with its share of the partitions. The rate is measured from the moment every
     * process's consumers are in the group to the last verdict, so start-up and rebalancing are left
     * out; on one machine the processes share its cores, so this is the cost of going past one process.
     */
    private ArrayNode scaleOut(String bootstrap, JsonNode cp) throws Exception {
        ArrayNode results = JSON.createArrayNode();
        for (int processes : scaleOut) {
            int perProcess = Math.max(1, Math.min(consumers, partitions / processes));
            log("%d scorer process(es) in one group, %d consumer(s) each", processes, perProcess);
            String group = "bench-scale-" + processes + "-" + UUID.randomUUID();
            List<ReconProcess> scorers = new ArrayList<>();
            try (Admin admin = admin(bootstrap)) {
                long before = endOffsetSum(admin, "recon.verdicts");
                long total = endOffsetSum(admin, TOPIC);
                for (int i = 0; i < processes; i++) {
                    Map<String, String> props = benchScorer(bootstrap, group, perProcess);
                    props.put("recon.scoring.verdicts", "compact");
                    scorers.add(ReconProcess.start(scorerJvmOptions, props));
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                long joined = 0;
                long atJoin = 0;
                long first = 0;
                long atFirst = 0;
                while (System.nanoTime() < deadline) {
                    long verdicts = endOffsetSum(admin, "recon.verdicts") - before;
                    if (first == 0 && verdicts > 0) {
                        first = System.nanoTime();
                        atFirst = verdicts;
                    }
                    if (joined == 0 && groupMembers(admin, group) >= processes * perProcess) {
                        joined = System.nanoTime();
                        atJoin = verdicts;
                    }
                    if (verdicts >= total) {
                        break;
                    }
                    for (ReconProcess p : scorers) {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("a scorer exited:\n" + p.tail(40));
                        }
                    }
                    Thread.sleep(100);
                }
                long done = System.nanoTime();
                if (endOffsetSum(admin, "recon.verdicts") - before < total) {
                    throw new IllegalStateException(processes + " scorers did not finish in 20 minutes");
                }
                ObjectNode n = results.addObject();
                n.put("processes", processes);
                n.put("consumersPerProcess", perProcess);
                // A short run can end before the last process joins: then it counts from the first verdict.
                n.put("allJoinedBeforeTheEnd", joined != 0);
                double seconds = ((joined != 0 ? done - joined : done - first)) / 1e9;
                long measured = total - (joined != 0 ? atJoin : atFirst);
                n.put("eventsMeasured", measured);
                n.put("eventsPerSecond", seconds > 0 ? Math.round(measured / seconds) : 0);
                n.put("ratioToConsumerPerformance", seconds > 0 ? round(measured / seconds
                        / cp.path("fetchEventsPerSecond").asDouble(), 3) : 0);
                n.put("secondsMeasured", round(seconds, 2));
            } finally {
                for (ReconProcess p : scorers) {
                    p.close();
                }
            }
        }
        return results;
    }

    /** Settings of a benchmark scorer in {@code group} with {@code consumerCount} consumers. */
    private Map<String, String> benchScorer(String bootstrap, String group, int consumerCount) {
        Map<String, String> props = ReconProcess.scorerAgainst(bootstrap);
        props.put("mp.messaging.incoming.telemetry-events.group.id", group);
        props.put("mp.messaging.incoming.telemetry-events.partitions", Integer.toString(consumerCount));
        props.put("mp.messaging.incoming.telemetry-events.max.poll.records", "500");
        props.put("quarkus.log.category.\"recon.alerts\".level", "WARN");
        props.putAll(scorerProperties);
        return props;
    }

    /** Members of the group that own at least one partition (a member between rebalances owns none). */
    private static int groupMembers(Admin admin, String group) throws Exception {
        try {
            var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return (int) description.members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return 0; // no member has joined yet
            }
            throw e;
        }
    }

    /**
     * One unmeasured phase at the first rate before the first latency phase of the run, its figures
     * recorded apart. This JVM holds the broker, the load generator and the verdict reader, and the
     * run's first offered-load phase is where it first compiles that path. In three short runs
     * (2026-12-05) the first scorer's p99 at 5,000 events/s read 1.1-3.6 s, with two stages on or
     * off, while the variants measured after it read 40-670 ms; in the run watched with top, this JVM
     * took 100-125% CPU in that first phase against 45-70% in the same phase later.
     */
    private ObjectNode loadGeneratorWarmUp(String bootstrap) throws Exception {
        int rate = rates.get(0);
        log("warming up the load generator and the broker: %,d events/s for %d s, not measured", rate, latencySeconds);
        Table table = TabularReader.read(flows);
        FlowEventFactory factory = new FlowEventFactory(JSON, table, "bench-warm-up");
        ObjectNode n = offeredLoad(bootstrap, TOPIC, "warm" + rate + "-", rate, rate * latencySeconds,
                (i, id, ts) -> withId(factory.event(i % factory.size(), 1, ts), id));
        n.put("note", "not a measurement: the run's first offered load, where the benchmark's own JVM compiles its "
                + "load generator and verdict reader");
        return n;
    }

    /** Event-to-verdict latency at each of {@code atRates}; event ids start with {@code prefix}. */
    private ArrayNode latency(String bootstrap, ReconProcess scorer, List<Integer> atRates, String prefix)
            throws Exception {
        ArrayNode all = JSON.createArrayNode();
        Table table = TabularReader.read(flows);
        FlowEventFactory factory = new FlowEventFactory(JSON, table, "bench-latency");
        for (int rate : atRates) {
            log("latency at %,d events/s for %d s", rate, latencySeconds);
            all.add(offeredLoad(bootstrap, TOPIC, prefix + rate + "-", rate, rate * latencySeconds,
                    (i, id, ts) -> withId(factory.event(i % factory.size(), 1, ts), id)));
            if (!scorer.isAlive()) {
                throw new IllegalStateException("scorer exited:\n" + scorer.tail(40));
            }
        }
        return all;
    }

    /**
     * The first rate's latency again while {@code restClients} clients keep posting 100-event
     * scoring requests to the same scorer: whether REST traffic starves the Kafka path. The
     * baseline is that rate's figure from {@link #latency} in the same run.
     */
    private ObjectNode latencyUnderRestLoad(String bootstrap, ReconProcess scorer, int port, JsonNode baseline)
            throws Exception {
        int rate = rates.get(0);
        Table table = TabularReader.read(flows);
        FlowEventFactory factory = new FlowEventFactory(JSON, table, "bench-rest");
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append(withId(factory.event(i, 1, System.currentTimeMillis()),
                    "rest-" + i));
        }
        body.append(']');
        log("latency at %,d events/s for %d s with %d REST clients posting 100-event requests", rate,
                latencySeconds, restClients);
        ObjectNode n;
        try (RestLoad load = new RestLoad(port, body.toString(), restClients)) {
            Thread.sleep(2_000); // the clients at full pace before the stream's events start
            n = offeredLoad(bootstrap, TOPIC, "rest" + rate + "-", rate, rate * latencySeconds,
                    (i, id, ts) -> withId(factory.event(i % factory.size(), 1, ts), id));
            load.close();
            Map<Integer, Long> statuses = load.statuses();
            ObjectNode rest = n.putObject("rest");
            rest.put("clients", restClients);
            rest.put("eventsPerRequest", 100);
            statuses.forEach((status, count) -> rest.put(status == -1 ? "noAnswer" : "http" + status, count));
            rest.put("answeredRequestsPerSecond", round(statuses.getOrDefault(200, 0L) / load.seconds(), 1));
            rest.put("scoredEventsPerSecond", round(100 * statuses.getOrDefault(200, 0L) / load.seconds(), 0));
        }
        n.put("baselineP50Ms", baseline.path("p50Ms").asLong());
        n.put("baselineP99Ms", baseline.path("p99Ms").asLong());
        n.put("p99RatioToBaseline", round(n.path("p99Ms").asDouble() / Math.max(1, baseline.path("p99Ms").asDouble()), 2));
        if (!scorer.isAlive()) {
            throw new IllegalStateException("scorer exited:\n" + scorer.tail(40));
        }
        return n;
    }

    /**
     * Image events (real Fashion-MNIST test images as PNG envelopes) through the same scorer: the
     * most it scores per second from a backlog, then event-to-verdict latency at fixed rates.
     */
    private ObjectNode imaging(String bootstrap, ReconProcess scorer, String topic, String idPrefix) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        Path file = fashionMnist.resolve("t10k-images-idx3-ubyte.gz");
        if (!Files.exists(file)) {
            String why = "skipped: " + file + " not found (install the Debian package dataset-fashion-mnist)";
            log("images %s", why);
            n.put("skipped", why);
            return n;
        }
        IdxImages test = IdxReader.readImages(file);
        List<String> pngs = new ArrayList<>();
        for (int i = 0; i < Math.min(IMAGE_POOL, test.count()); i++) {
            pngs.add(Base64.getEncoder().encodeToString(test.image(i).toPng()));
        }
        EventSource images = (i, id, ts) -> imageEvent(id, ts, pngs.get(i % pngs.size()));
        n.put("data", file + " (the first " + pngs.size() + " test images as PNG, repeated with fresh ids)");
        log("images: %,d at once, the most the scorer takes", imageBurst);
        n.set("backlog", backlog(bootstrap, topic, idPrefix + "max-", imageBurst, images));
        ArrayNode latency = n.putArray("latency");
        for (int rate : imageRates) {
            log("image latency at %,d images/s for %d s", rate, latencySeconds);
            latency.add(offeredLoad(bootstrap, topic, idPrefix + rate + "-", rate, rate * latencySeconds, images));
            if (!scorer.isAlive()) {
                throw new IllegalStateException("scorer exited:\n" + scorer.tail(40));
            }
        }
        n.put("measured", "from each event's ts (set when sent) to its verdict's timestamp in recon.verdicts (when "
                + "the scorer wrote it), as for telemetry; every image decoded from PNG and scored by the configured "
                + "image model (recon.models.imaging)");
        return n;
    }

    /**
     * {@code --only images}: the image phases of {@link #imaging} alone, in a fresh scorer process with
     * one image consumer (the default) and then with two, each on a topic of its own, so that the
     * second starts with nothing left over from the first.
     */
    private ArrayNode imagesAlone() throws Exception {
        ArrayNode runs = JSON.createArrayNode();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start()) {
            Map<String, Integer> topics = new HashMap<>(Map.of(TOPIC, partitions, "recon.verdicts", partitions,
                    "recon.alerts", partitions, "telemetry.events.dlq", 1, "imaging.events.dlq", 1));
            for (int imageConsumers : new int[] {1, 2}) {
                topics.put(IMAGE_TOPIC + "." + imageConsumers, partitions);
            }
            broker.createTopics(topics);
            String bootstrap = broker.bootstrapServers();
            for (int imageConsumers : new int[] {1, 2}) {
                log("images alone: a scorer with %d image consumer(s)", imageConsumers);
                String topic = IMAGE_TOPIC + "." + imageConsumers;
                Map<String, String> props = benchScorer(bootstrap, "bench-scorer-" + UUID.randomUUID(), consumers);
                props.put("recon.topics.imaging-events", topic);
                props.put("mp.messaging.incoming.imaging-events.partitions", Integer.toString(imageConsumers));
                try (ReconProcess scorer = ReconProcess.start(scorerJvmOptions, props)) {
                    if (!scorer.awaitLine(l -> l.contains("started in"), 120)) {
                        throw new IllegalStateException("scorer did not start:\n" + scorer.tail(40));
                    }
                    scorer.awaitReady(Integer.parseInt(props.get("quarkus.http.port")), 120);
                    ObjectNode run = imaging(bootstrap, scorer, topic, "img" + imageConsumers + "c-");
                    run.put("imageConsumers", imageConsumers);
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    /** Image events sent as fast as the producer goes; the scorer's rate from first verdict to last. */
    private ObjectNode backlog(String bootstrap, String topic, String prefix, int count, EventSource images)
            throws Exception {
        try (KafkaConsumer<String, String> tail = tailConsumer(bootstrap, "recon.verdicts");
                KafkaProducer<String, String> producer = producer(bootstrap, 5)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, prefix + i,
                        images.event(i, prefix + i, System.currentTimeMillis())));
            }
            producer.flush();
            Verdicts v = Verdicts.await(tail, prefix, count);
            ObjectNode n = JSON.createObjectNode();
            n.put("events", count);
            n.put("verdicts", v.latencies().length);
            n.put("imagesPerSecond", Math.round((v.latencies().length - 1)
                    / Math.max(1e-3, (v.lastWrittenAt() - v.firstWrittenAt()) / 1000.0)));
            return n;
        }
    }

    /** {@code count} events at {@code rate} per second, then each one's latency from its ts to its verdict. */
    private ObjectNode offeredLoad(String bootstrap, String topic, String prefix, int rate, int count,
            EventSource source) throws Exception {
        try (KafkaConsumer<String, String> tail = tailConsumer(bootstrap, "recon.verdicts");
                KafkaProducer<String, String> producer = producer(bootstrap, 1)) {
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                producer.send(new ProducerRecord<>(topic, id, source.event(i, id, System.currentTimeMillis())));
                long due = started + (i + 1L) * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            producer.flush();
            double sendSeconds = (System.nanoTime() - started) / 1e9;
            long[] sorted = Verdicts.await(tail, prefix, count).latencies();
            ObjectNode n = JSON.createObjectNode();
            n.put("offeredEventsPerSecond", rate);
            n.put("achievedEventsPerSecond", Math.round(count / sendSeconds));
            n.put("events", count);
            n.put("verdicts", sorted.length);
            n.put("p50Ms", percentile(sorted, 0.50));
            n.put("p99Ms", percentile(sorted, 0.99));
            n.put("p999Ms", percentile(sorted, 0.999));
            n.put("maxMs", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
            return n;
        }
    }

    /** The JSON of event {@code i} of a phase, with its id and ts. */
    private interface EventSource {
        String event(int i, String id, long ts);
    }

    /**
     * The verdicts of one phase's events, read from {@code recon.verdicts}: each latency from the
     * event's ts to the verdict record's timestamp (when the scorer wrote it), sorted.
     */
    private record Verdicts(long[] latencies, long firstWrittenAt, long lastWrittenAt) {

        static Verdicts await(KafkaConsumer<String, String> tail, String prefix, int count) throws Exception {
            List<Long> latencies = new ArrayList<>(count);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (latencies.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : tail.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        latencies.add(r.timestamp() - JSON.readTree(r.value()).path("eventTs").asLong());
                        first = Math.min(first, r.timestamp());
                        last = Math.max(last, r.timestamp());
                    }
                }
            }
            return new Verdicts(latencies.stream().mapToLong(Long::longValue).sorted().toArray(), first, last);
        }
    }

    private static String imageEvent(String id, long ts, String pngBase64) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", id);
        e.put("ts", ts);
        e.put("source", "bench-fashion-mnist");
        e.put("modality", "photo");
        e.put("encoding", "png");
        e.put("data", pngBase64);
        return e.toString();
    }

    /** Where the scorer's time went, from its own Prometheus metrics. */
    private static ObjectNode scorerMetrics(int httpPort) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String body = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> m = new HashMap<>();
        for (String line : body.split("\n")) {
            for (String name : List.of("recon_event_latency_seconds_sum", "recon_event_latency_seconds_count",
                    "recon_scoring_seconds_sum", "recon_scoring_seconds_count",
                    "recon_scoring_batch_size_sum", "recon_scoring_batch_size_count")) {
                if (line.startsWith(name + "{")) {
                    m.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        ObjectNode n = JSON.createObjectNode();
        double batches = m.getOrDefault("recon_scoring_seconds_count", 0.0);
        n.put("batches", Math.round(batches));
        n.put("meanBatchSize", round(m.getOrDefault("recon_scoring_batch_size_sum", 0.0) / Math.max(1, batches), 1));
        n.put("scoringSecondsTotal", round(m.getOrDefault("recon_scoring_seconds_sum", 0.0), 2));
        n.put("meanEventLatencyMs", round(1000 * m.getOrDefault("recon_event_latency_seconds_sum", 0.0)
                / Math.max(1, m.getOrDefault("recon_event_latency_seconds_count", 0.0)), 2));
        n.put("meanScoringMsPerBatch", round(1000 * m.getOrDefault("recon_scoring_seconds_sum", 0.0)
                / Math.max(1, batches), 2));
        return n;
    }

    private ObjectNode computeCeiling(FlowEventFactory factory, Table table) throws Exception {
        log("compute ceiling: plain-Java forward vs DJL, single thread");
        ObjectNode n = JSON.createObjectNode();
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), JSON)) {
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                JsonNode event = JSON.readTree(factory.event(i % factory.size(), 1, 0));
                Map<String, Object> features = new HashMap<>();
                event.path("features").fields().forEachRemaining(e -> features.put(e.getKey(),
                        e.getValue().isNumber() ? (Object) e.getValue().asDouble() : e.getValue().asText()));
                rows.add(bundle.encoder().encode(features));
            }
            PlainJavaVaeScorer plain = new PlainJavaVaeScorer(bundle.block(), bundle.manifest().scoring().iwaeSamples(),
                    bundle.manifest().scoring().samplesSeed());
            for (int i = 0; i < 2_000; i++) {
                plain.score(rows.get(i)); // warm-up
            }
            long t0 = System.nanoTime();
            for (float[] row : rows) {
                plain.score(row);
            }
            n.put("plainJavaEventsPerSecondPerCore", Math.round(rows.size() / ((System.nanoTime() - t0) / 1e9)));
            // Two-stage scoring (the service's default for an IWAE alert score) on the recorded mix, about
            // 42% attacks, and on its normal flows alone, the traffic a deployment mostly sees.
            List<float[]> normals = new ArrayList<>();
            int label = table.columnIndex("label");
            for (int i = 0; i < rows.size(); i++) {
                if ("normal".equals(table.rows().get(i % table.size())[label])) {
                    normals.add(rows.get(i));
                }
            }
            // libtorch's default threads (one per core), as in earlier reports; then one thread per call,
            // the scorer's setting (recon.scoring.torch-threads), where many small calls do not pay for
            // waking a second thread.
            int defaultThreads = JniUtils.getNumThreads();
            djlFigures(n, bundle, rows, normals);
            n.put("torchThreads", defaultThreads);
            JniUtils.setNumThreads(1);
            ObjectNode one = n.putObject("oneTorchThread");
            djlFigures(one, bundle, rows, normals);
            JniUtils.setNumThreads(defaultThreads);
            n.put("note", "same network and scores (reconstruction, -ELBO, IWAE K="
                    + bundle.manifest().scoring().iwaeSamples() + "), one caller thread; DJL with libtorch's default "
                    + "threads (torchThreads) and, under oneTorchThread, with one, the scorer's setting");
        }
        n.set("images", imageCeiling());
        return n;
    }

    /**
     * The image path's ceiling in this process, one caller thread, no broker: PNG envelopes decoded
     * and resized to the model (the part the scorer spreads over every core), the Fashion-MNIST VAE
     * alone in batches of 64 (the consumer's {@code max.poll.records}), and both together as the
     * scorer runs them ({@link ImageScorer#scorePayloads}, verdicts and heatmaps included).
     */
    private ObjectNode imageCeiling() throws Exception {
        ObjectNode n = JSON.createObjectNode();
        Path file = fashionMnist.resolve("t10k-images-idx3-ubyte.gz");
        if (!Files.exists(file)) {
            n.put("skipped", file + " not found (install the Debian package dataset-fashion-mnist)");
            return n;
        }
        log("compute ceiling: images (decode, the VAE, both), single caller thread");
        IdxImages test = IdxReader.readImages(file);
        int count = 2_048;
        int batch = 64;
        List<byte[]> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            payloads.add(imageEvent("ceil-" + i, 1L, Base64.getEncoder().encodeToString(
                    test.image(i % test.count()).toPng())).getBytes(StandardCharsets.UTF_8));
        }
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of("models/imaging-vae-fashion-1"), Device.cpu(),
                JSON)) {
            ImageModelManifest m = bundle.manifest();
            ImageEventDecoder decoder = new ImageEventDecoder(JSON, null, ImageEventDecoder.Limits.defaults(),
                    m.window(), m.width(), m.height());
            List<float[]> pixels = new ArrayList<>(count);
            for (int i = 0; i < 512; i++) {
                decoder.decode(payloads.get(i)); // warm-up
            }
            long t0 = System.nanoTime();
            for (byte[] payload : payloads) {
                pixels.add(decoder.decode(payload).image().pixels());
            }
            n.put("decodePerSecondPerCore", Math.round(count / ((System.nanoTime() - t0) / 1e9)));
            ImageScorer scorer = new ImageScorer(bundle, decoder, java.time.Clock.systemUTC());
            int defaultThreads = JniUtils.getNumThreads();
            n.put("torchThreads", defaultThreads);
            imageFigures(n, bundle, scorer, pixels, payloads, batch);
            JniUtils.setNumThreads(1);
            imageFigures(n.putObject("oneTorchThread"), bundle, scorer, pixels, payloads, batch);
            JniUtils.setNumThreads(defaultThreads);
            n.put("note", m.name() + " (" + m.width() + "x" + m.height() + ", K=" + m.scoring().iwaeSamples()
                    + " samples), " + count + " Fashion-MNIST test images as PNG envelopes, batches of " + batch
                    + "; decode on one core, the VAE with libtorch's default threads and, under oneTorchThread, "
                    + "with one, the scorer's setting");
        }
        return n;
    }

    /** The VAE alone, and decode plus VAE plus verdicts as the scorer does it, in batches of {@code batch}. */
    private static void imageFigures(ObjectNode n, ImageModelBundle bundle, ImageScorer scorer, List<float[]> pixels,
            List<byte[]> payloads, int batch) {
        for (int start = 0; start + batch <= 512; start += batch) {
            bundle.scorer().score(pixels.subList(start, start + batch)); // warm-up
        }
        long t1 = System.nanoTime();
        for (int start = 0; start + batch <= pixels.size(); start += batch) {
            bundle.scorer().score(pixels.subList(start, start + batch));
        }
        n.put("vaeImagesPerSecond", Math.round(pixels.size() / ((System.nanoTime() - t1) / 1e9)));
        // One image per call: a quiet stream's polls, where the cost of a call is the image's latency.
        for (int i = 0; i < 64; i++) {
            bundle.scorer().score(pixels.subList(i, i + 1)); // warm-up
        }
        long t3 = System.nanoTime();
        for (int i = 0; i < 256; i++) {
            bundle.scorer().score(pixels.subList(i, i + 1));
        }
        n.put("vaeBatch1ImagesPerSecond", Math.round(256 / ((System.nanoTime() - t3) / 1e9)));
        for (int start = 0; start + batch <= 512; start += batch) {
            scorer.scorePayloads(payloads.subList(start, start + batch)); // warm-up
        }
        long t2 = System.nanoTime();
        for (int start = 0; start + batch <= payloads.size(); start += batch) {
            scorer.scorePayloads(payloads.subList(start, start + batch));
        }
        n.put("decodeAndScoreImagesPerSecond", Math.round(payloads.size() / ((System.nanoTime() - t2) / 1e9)));
    }

    /**
     * DJL's scoring speed at batch 1, 32, 64 and 256, and two-stage at 32, 64 and 256 on {@code rows}
     * and on {@code normals}.
     */
    private static void djlFigures(ObjectNode n, ModelBundle bundle, List<float[]> rows, List<float[]> normals) {
        for (int batch : new int[] {1, 32, 64, 256}) {
            int total = batch == 1 ? 2_000 : rows.size();
            for (int start = 0; start + batch <= Math.min(total, 4_096); start += batch) {
                bundle.scorer().score(rows.subList(start, start + batch)); // warm-up: the JIT compiles the Java side
            }
            long t1 = System.nanoTime();
            for (int start = 0; start + batch <= total; start += batch) {
                bundle.scorer().score(rows.subList(start, start + batch));
            }
            n.put("djlBatch" + batch + "EventsPerSecond", Math.round(total / ((System.nanoTime() - t1) / 1e9)));
        }
        // Two stages at the batch sizes a consumer sees under light load too (tens of events per poll),
        // beside the full computation at the same size above: where the two-stage path starts to pay
        // (recon.scoring.two-stage-min-batch).
        double threshold = bundle.calibration().threshold();
        for (int batch : new int[] {32, 64, 256}) {
            for (Map.Entry<String, List<float[]>> set : Map.of("", rows, "NormalOnly", normals).entrySet()) {
                List<float[]> r = set.getValue();
                for (int start = 0; start + batch <= 4_096; start += batch) {
                    bundle.scorer().scoreTwoStage(r.subList(start, start + batch), threshold); // warm-up
                }
                long t2 = System.nanoTime();
                long second = 0;
                int total = 0;
                for (int start = 0; start + batch <= r.size(); start += batch) {
                    second += bundle.scorer().scoreTwoStage(r.subList(start, start + batch), threshold).fullRows();
                    total += batch;
                }
                n.put("djlBatch" + batch + "TwoStage" + set.getKey() + "EventsPerSecond",
                        Math.round(total / ((System.nanoTime() - t2) / 1e9)));
                if (batch == 256) {
                    n.put("twoStage" + set.getKey() + "SecondStageShare", round((double) second / total, 4));
                }
            }
        }
    }

    private void printSummary(ObjectNode r) {
        System.out.println();
        System.out.println("== Recon throughput benchmark, " + r.path("date").asText() + ", "
                + r.path("machine").path("cores").asInt() + " cores ==");
        if (!ceilingOnly) {
            printBrokerSummary(r);
        }
        for (JsonNode run : r.path("imagesAlone")) {
            System.out.printf(Locale.ROOT, "images alone, %d image consumer(s): at most %,d images/s (%d/%d verdicts)%n",
                    run.path("imageConsumers").asInt(), run.path("backlog").path("imagesPerSecond").asLong(),
                    run.path("backlog").path("verdicts").asInt(), run.path("backlog").path("events").asInt());
            for (JsonNode l : run.path("latency")) {
                System.out.printf(Locale.ROOT, "    at %,d/s p50 %d ms, p99 %d ms%n", l.path("offeredEventsPerSecond").asInt(),
                        l.path("p50Ms").asLong(), l.path("p99Ms").asLong());
            }
        }
        JsonNode c = r.path("computeCeiling");
        System.out.printf(Locale.ROOT, "compute: plain Java %,d/s per core%n", c.path("plainJavaEventsPerSecondPerCore").asLong());
        printDjlFigures(c, c.path("torchThreads").asInt() + " libtorch threads");
        printDjlFigures(c.path("oneTorchThread"), "1 libtorch thread (the scorer's)");
        JsonNode img = c.path("images");
        if (img.has("skipped")) {
            System.out.println("compute, images: skipped: " + img.path("skipped").asText());
        } else {
            System.out.printf(Locale.ROOT, "compute, images, one caller thread: decode %,d/s per core; the VAE %,d/s "
                    + "(%d libtorch threads), %,d/s (1), one image per call %,d/s (1); decode, VAE and verdict %,d/s, "
                    + "%,d/s (1)%n",
                    img.path("decodePerSecondPerCore").asLong(), img.path("vaeImagesPerSecond").asLong(),
                    img.path("torchThreads").asInt(), img.path("oneTorchThread").path("vaeImagesPerSecond").asLong(),
                    img.path("oneTorchThread").path("vaeBatch1ImagesPerSecond").asLong(),
                    img.path("decodeAndScoreImagesPerSecond").asLong(),
                    img.path("oneTorchThread").path("decodeAndScoreImagesPerSecond").asLong());
        }
        System.out.println("written to " + out);
    }

    private static void printDjlFigures(JsonNode c, String threads) {
        System.out.printf(Locale.ROOT, "compute, DJL, %s: batch 1: %,d/s, 32: %,d/s, 64: %,d/s, 256: %,d/s; two-stage at 256: "
                + "%,d/s on the recorded mix (%.1f%% to stage two), %,d/s on normal flows (%.1f%%)%n", threads,
                c.path("djlBatch1EventsPerSecond").asLong(), c.path("djlBatch32EventsPerSecond").asLong(),
                c.path("djlBatch64EventsPerSecond").asLong(),
                c.path("djlBatch256EventsPerSecond").asLong(), c.path("djlBatch256TwoStageEventsPerSecond").asLong(),
                100 * c.path("twoStageSecondStageShare").asDouble(),
                c.path("djlBatch256TwoStageNormalOnlyEventsPerSecond").asLong(),
                100 * c.path("twoStageNormalOnlySecondStageShare").asDouble());
        System.out.printf(Locale.ROOT, "    two-stage at 32 / 64: %,d / %,d/s on the recorded mix, %,d / %,d/s on normal flows%n",
                c.path("djlBatch32TwoStageEventsPerSecond").asLong(), c.path("djlBatch64TwoStageEventsPerSecond").asLong(),
                c.path("djlBatch32TwoStageNormalOnlyEventsPerSecond").asLong(),
                c.path("djlBatch64TwoStageNormalOnlyEventsPerSecond").asLong());
    }

    private static void printBrokerSummary(ObjectNode r) {
        System.out.printf(Locale.ROOT, "events: %,d in %d partitions; scorer consumers: %d%n", r.path("events").asInt(),
                r.path("partitions").asInt(), r.path("scorerConsumers").asInt());
        System.out.printf(Locale.ROOT, "Kafka ConsumerPerformance: %,d events/s (fetch), %,d events/s (overall)%n",
                r.path("kafkaConsumerPerformance").path("fetchEventsPerSecond").asLong(),
                r.path("kafkaConsumerPerformance").path("eventsPerSecond").asLong());
        System.out.printf(Locale.ROOT, "Recon scorer:              %,d events/s (%,d with start-up)%n",
                r.path("reconScorer").path("eventsPerSecond").asLong(),
                r.path("reconScorer").path("eventsPerSecondIncludingStartup").asLong());
        System.out.printf(Locale.ROOT, "ratio scorer / ConsumerPerformance: %.3f%n",
                r.path("ratioScorerToConsumerPerformance").asDouble());
        for (String[] variant : new String[][] {{"reconScorerCompactVerdicts", "ratioCompactScorerToConsumerPerformance",
            "compact verdicts"}, {"reconScorerFullIwae", "ratioFullIwaeScorerToConsumerPerformance",
            "K samples for every event"}}) {
            JsonNode v = r.path(variant[0]);
            if (!v.isMissingNode()) {
                System.out.printf(Locale.ROOT, "Recon scorer, %s: %,d events/s, ratio %.3f%n", variant[2],
                        v.path("eventsPerSecond").asLong(), r.path(variant[1]).asDouble());
                for (JsonNode l : v.path("latency")) {
                    System.out.printf(Locale.ROOT, "    at %,d/s p50 %d ms, p99 %d ms%n",
                            l.path("offeredEventsPerSecond").asInt(), l.path("p50Ms").asLong(), l.path("p99Ms").asLong());
                }
            }
        }
        JsonNode ao = r.path("reconScorerAlertsOnly");
        if (!ao.isMissingNode()) {
            System.out.printf(Locale.ROOT, "Recon scorer, alerts only: %,d events/s, ratio %.3f (committed offsets)%n",
                    ao.path("eventsPerSecond").asLong(), ao.path("ratioToConsumerPerformance").asDouble());
        }
        for (JsonNode so : r.path("scaleOut")) {
            System.out.printf(Locale.ROOT, "scale-out: %d process(es) x %d consumer(s): %,d events/s, ratio %.3f%n",
                    so.path("processes").asInt(), so.path("consumersPerProcess").asInt(),
                    so.path("eventsPerSecond").asLong(), so.path("ratioToConsumerPerformance").asDouble());
        }
        for (JsonNode l : r.path("reconScorer").path("latency")) {
            System.out.printf(Locale.ROOT, "latency at %,6d/s offered (%,d achieved): p50 %d ms, p99 %d ms, "
                    + "p99.9 %d ms, max %d ms (%d/%d verdicts)%n", l.path("offeredEventsPerSecond").asInt(),
                    l.path("achievedEventsPerSecond").asInt(), l.path("p50Ms").asLong(), l.path("p99Ms").asLong(),
                    l.path("p999Ms").asLong(), l.path("maxMs").asLong(), l.path("verdicts").asInt(),
                    l.path("events").asInt());
        }
        JsonNode rl = r.path("reconScorer").path("latencyUnderRestLoad");
        if (!rl.isMissingNode()) {
            System.out.printf(Locale.ROOT, "latency at %,6d/s with %d REST clients: p50 %d ms, p99 %d ms (baseline p99 "
                    + "%d ms, ratio %.2f); REST answered %s%n", rl.path("offeredEventsPerSecond").asInt(),
                    rl.path("rest").path("clients").asInt(), rl.path("p50Ms").asLong(), rl.path("p99Ms").asLong(),
                    rl.path("baselineP99Ms").asLong(), rl.path("p99RatioToBaseline").asDouble(), rl.path("rest"));
        }
        JsonNode img = r.path("reconScorer").path("imaging");
        if (img.has("skipped")) {
            System.out.println("images: " + img.path("skipped").asText());
        } else {
            System.out.printf(Locale.ROOT, "images: at most %,d images/s (%d/%d verdicts from a backlog)%n",
                    img.path("backlog").path("imagesPerSecond").asLong(), img.path("backlog").path("verdicts").asInt(),
                    img.path("backlog").path("events").asInt());
            for (JsonNode l : img.path("latency")) {
                System.out.printf(Locale.ROOT, "image latency at %,5d/s offered (%,d achieved): p50 %d ms, p99 %d ms, "
                        + "p99.9 %d ms, max %d ms (%d/%d verdicts)%n", l.path("offeredEventsPerSecond").asInt(),
                        l.path("achievedEventsPerSecond").asInt(), l.path("p50Ms").asLong(), l.path("p99Ms").asLong(),
                        l.path("p999Ms").asLong(), l.path("maxMs").asLong(), l.path("verdicts").asInt(),
                        l.path("events").asInt());
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> tailConsumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // resolve the end now, before the load starts
        return c;
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    private static long endOffsetSum(Admin admin, String topic) throws Exception {
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int i = 0; i < count; i++) {
            request.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static long committedSum(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private static String withId(String eventJson, String id) {
        return eventJson.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + id + "\"");
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static double physicalMemoryGiB() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return -1;
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
