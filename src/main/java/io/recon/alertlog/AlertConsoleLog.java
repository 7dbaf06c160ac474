package io.recon.alertlog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.kafka.KafkaClients;

/**
 * The {@code alert-log} role: reads {@code recon.alerts} and {@code recon.explanations} back from
 * Kafka like any downstream consumer and prints one line per alert and, once the explainer has
 * explained it, one line with its sentence, so the one-process demo shows what comes out.
 */
@ApplicationScoped
public class AlertConsoleLog {

    private static final Logger LOG = Logger.getLogger("recon.alerts");

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    KafkaClients clients;

    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains(Role.ALERT_LOG)) {
            return;
        }
        Map<String, Object> p = clients.consumer("recon-alert-log", "recon-alert-log");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        thread = new Thread(this::run, "recon-alert-log");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        try (KafkaConsumer<String, String> c = consumer) {
            c.subscribe(List.of(config.topics().alerts(), config.topics().explanations()));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(1))) {
                    LOG.info(r.topic().equals(config.topics().alerts()) ? line(r.value()) : why(r.value()));
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("Alert log stopped", e);
        }
    }

    /** One readable line: severity, event, score against threshold, the top contributions. */
    String line(String json) {
        try {
            JsonNode a = mapper.readTree(json);
            StringBuilder s = new StringBuilder();
            s.append(String.format("ALERT %-8s %s  %s=%.2f > %.2f (p%.2f)", a.path("severity").asText().toUpperCase(),
                    a.path("eventId").asText(), a.path("alertScore").asText(), a.path("score").asDouble(),
                    a.path("threshold").asDouble(), a.path("percentile").asDouble()));
            int n = 0;
            for (JsonNode c : a.path("topContributions")) {
                if (n++ == 3) {
                    break;
                }
                JsonNode deviation = c.path("deviation");
                String gap = deviation.isNumber() ? String.format(", %+.1f sd", deviation.asDouble()) : "";
                s.append(String.format("  %s=%s (expected %s%s, %.0f%%)", c.path("feature").asText(),
                        compact(c.path("observed")), compact(c.path("expected")), gap,
                        100 * c.path("share").asDouble()));
            }
            return s.toString();
        } catch (Exception e) {
            return "ALERT (unreadable) " + json;
        }
    }

    /** The explainer's sentence for an alert, under the alert's id. */
    String why(String json) {
        try {
            JsonNode e = mapper.readTree(json);
            return String.format("WHY      %s  %s", e.path("eventId").asText(), e.path("sentence").asText());
        } catch (Exception ex) {
            return "WHY (unreadable) " + json;
        }
    }

    /** Numbers with four significant digits, text as is. */
    private static String compact(JsonNode v) {
        if (!v.isNumber()) {
            return v.asText();
        }
        double d = v.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d)
                : new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
