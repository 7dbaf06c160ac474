package io.recon.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) running inside
 * this JVM. It backs Recon's "one process" default and the tests: no Docker here, so no
 * Testcontainers; this is the same broker code a cluster runs, not a mock.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);

    /** SCRAM mechanism of a broker started with {@link #withScramUser}. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    /** Whether the log directory is this broker's own temporary folder, deleted when it stops. */
    private final boolean temporary;
    private String scramUser;
    private String scramPassword;
    private KafkaRaftServer server;

    /**
     * @param port           the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
     * @param controllerPort the KRaft controller port; 0 picks a free one
     * @param dataDir        log directory; formatted on first start, reused afterwards
     */
    public EmbeddedKafkaBroker(int port, int controllerPort, Path dataDir) {
        this(port, controllerPort, dataDir, false);
    }

    private EmbeddedKafkaBroker(int port, int controllerPort, Path dataDir, boolean temporary) {
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * A broker whose log directory is a fresh temporary folder, deleted when it stops: every record
     * it took stays on disk until then (a throughput benchmark writes gigabytes), and nothing can
     * read that folder again once it is gone.
     */
    public static EmbeddedKafkaBroker inTemporaryFolder(int port, int controllerPort) {
        try {
            return new EmbeddedKafkaBroker(port, controllerPort, Files.createTempDirectory("recon-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its log directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** A broker on free ports in a temporary folder of its own (tests, benchmarks). */
    public static EmbeddedKafkaBroker onFreePorts() {
        return inTemporaryFolder(0, 0);
    }

    /**
     * Makes the client listener SASL_PLAINTEXT with {@value #SCRAM_MECHANISM}, this user being the
     * only one (the broker talks to itself as this user too). Call before {@link #start()}.
     */
    public synchronized EmbeddedKafkaBroker withScramUser(String user, String password) {
        if (server != null) {
            throw new IllegalStateException("set the SCRAM user before starting the broker");
        }
        this.scramUser = user;
        this.scramPassword = password;
        return this;
    }

    /** The client settings this broker needs besides the bootstrap address: SASL for a SCRAM broker, else none. */
    public Map<String, String> clientSecurity() {
        if (scramUser == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", jaas(scramUser, scramPassword));
    }

    /** The JAAS line of a SCRAM client. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Formats the log directory if needed and starts the broker; returns once it serves clients. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        Properties props = serverProperties();
        formatStorage(props);
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.infof("Embedded Kafka broker up at %s in %d ms (logs in %s)", bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, dataDir);
        return this;
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates the topics that do not exist yet, each with the given partition count. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = partitionsByTopic.entrySet().stream()
                    .filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topics " + partitionsByTopic.keySet(), e.getCause());
        }
    }

    /** Stops the broker and waits for it to shut down; deletes its log directory if it is a temporary one. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka broker stopped");
        }
        if (temporary) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                LOG.warnf("Could not delete the embedded broker's temporary log directory %s: %s", dataDir, e);
            }
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(clientSecurity());
        return Admin.create(p);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get();
                return;
            } catch (Exception e) {
                last = new IllegalStateException("Broker not ready", e);
                sleep(200);
            }
        }
        throw last != null ? last : new IllegalStateException("Broker not ready in 60 s");
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listener = scramUser == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listener + "://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", listener);
        if (scramUser != null) {
            p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
            p.put("listener.name.sasl_plaintext." + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT)
                    + ".sasl.jaas.config", jaas(scramUser, scramPassword));
        }
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // A single node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("log.retention.hours", "24");
        return p;
    }

    private void formatStorage(Properties props) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return; // formatted by an earlier start: keep its cluster id and data
        }
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("server.properties.recon");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Written by Recon's embedded broker");
            }
            String clusterId = Uuid.randomUuid().toString();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            List<String> format = new java.util.ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString()));
            if (scramUser != null) {
                // KRaft keeps SCRAM credentials in its metadata log: they are written at format time.
                format.addAll(List.of("--add-scram", SCRAM_MECHANISM + "=[name=" + scramUser + ",password="
                        + scramPassword + "]"));
            }
            int rc = StorageTool.execute(format.toArray(String[]::new), quiet);
            if (rc != 0) {
                throw new IllegalStateException("Kafka storage format failed with exit code " + rc + " in " + dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka log directory " + dataDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
