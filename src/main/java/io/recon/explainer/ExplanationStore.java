package io.recon.explainer;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.config.ReconConfig;
import io.recon.event.RecentById;

/**
 * The most recent explanations this process wrote (their JSON), by event id, for
 * {@code GET /alerts/{id}/explanation}. Bounded in count and bytes ({@code recon.explainer.store-*});
 * older ones are on {@code recon.explanations}, keyed by event id.
 */
@ApplicationScoped
public class ExplanationStore {

    private final RecentById recent;
    private volatile boolean serving;

    @Inject
    ExplanationStore(ReconConfig config) {
        this.recent = new RecentById(config.explainer().storeCapacity(), config.explainer().storeMaxBytes());
    }

    /** Whether this process runs the explainer (else nothing is ever kept here). */
    public boolean serving() {
        return serving;
    }

    void startServing() {
        serving = true;
    }

    void put(String eventId, byte[] json) {
        recent.put(eventId, json);
    }

    /** The explanation of a recent alert, as written to Kafka. */
    public Optional<byte[]> get(String eventId) {
        return recent.get(eventId);
    }
}
