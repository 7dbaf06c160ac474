package io.recon.console;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.recon.event.RecentById;

/**
 * The alerts the console has read back from Kafka, newest last: each one's summary for the list,
 * its whole JSON for the detail page (bounded in bytes: image alerts carry their images) and its
 * explanation once one arrives. In memory only; Kafka holds the rest.
 */
final class RecentAlerts {

    private final int capacity;
    private final LinkedHashMap<String, AlertSummary> summaries = new LinkedHashMap<>();
    private final RecentById alertJson;
    private final RecentById explanationJson;
    /** Explanations' sentences by event id: one can be read before its alert (two topics, two orders). */
    private final LinkedHashMap<String, String> sentences = new LinkedHashMap<>();

    RecentAlerts(int capacity, long maxBytes) {
        this.capacity = Math.max(1, capacity);
        this.alertJson = new RecentById(this.capacity, maxBytes);
        this.explanationJson = new RecentById(this.capacity, Math.max(1, maxBytes / 4));
    }

    /** Keeps an alert (a repeat of the same event id replaces the earlier one, as downstream keys do). */
    synchronized AlertSummary addAlert(AlertSummary summary, byte[] json) {
        summaries.remove(summary.eventId());
        String sentence = sentences.get(summary.eventId());
        AlertSummary kept = sentence != null ? summary.explainedBy(sentence) : summary;
        summaries.put(summary.eventId(), kept);
        alertJson.put(summary.eventId(), json);
        Iterator<Map.Entry<String, AlertSummary>> eldest = summaries.entrySet().iterator();
        while (summaries.size() > capacity) {
            eldest.next();
            eldest.remove();
        }
        return kept;
    }

    /**
     * Attaches an explanation to its alert; returns the updated summary, or empty when the alert is
     * not (or no longer) held: the explanation is still kept, for an alert read later.
     */
    synchronized Optional<AlertSummary> addExplanation(String eventId, String sentence, byte[] json) {
        explanationJson.put(eventId, json);
        sentences.remove(eventId);
        sentences.put(eventId, sentence);
        Iterator<String> eldest = sentences.keySet().iterator();
        while (sentences.size() > capacity) {
            eldest.next();
            eldest.remove();
        }
        AlertSummary alert = summaries.get(eventId);
        if (alert == null) {
            return Optional.empty();
        }
        AlertSummary explained = alert.explainedBy(sentence);
        summaries.put(eventId, explained);
        return Optional.of(explained);
    }

    /** The most recent alerts that pass {@code filter}, newest first, at most {@code limit}. */
    synchronized List<AlertSummary> newest(AlertFilter filter, int limit) {
        List<AlertSummary> all = new ArrayList<>(summaries.values());
        List<AlertSummary> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (filter.matches(all.get(i))) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** The whole alert as the scorer wrote it. */
    synchronized Optional<byte[]> alert(String eventId) {
        return summaries.containsKey(eventId) ? alertJson.get(eventId) : Optional.empty();
    }

    /** Its explanation, once the explainer has written one. */
    synchronized Optional<byte[]> explanation(String eventId) {
        return explanationJson.get(eventId);
    }

    /** The models and streams seen, for the filters' choices. */
    synchronized Map<String, List<String>> choices() {
        List<String> streams = summaries.values().stream().map(AlertSummary::stream).distinct().sorted().toList();
        List<String> models = summaries.values().stream().map(AlertSummary::model).distinct().sorted().toList();
        return Map.of("streams", streams, "models", models);
    }
}
