package io.recon.synthetic;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where one accepted request stands: what was asked, how many events are on the topic so far, and
 * whether it is still running, done or failed (with the reason).
 */
public final class RequestStatus {

    /** The request's state. */
    public enum State {
        /** Events are being generated and published. */
        RUNNING,
        /** Every event is on the topic. */
        DONE,
        /** Stopped early; {@link #error()} says why. */
        FAILED
    }

    private final String id;
    private final String generator;
    private final String version;
    private final String cls;
    private final String topic;
    private final int count;
    private final int rate;
    private final long seed;
    private final Instant acceptedAt;
    private final AtomicInteger published = new AtomicInteger();
    private volatile State state = State.RUNNING;
    private volatile String error;

    RequestStatus(String id, GeneratorSource source, String cls, String topic, int count, int rate, long seed) {
        this.id = id;
        this.generator = source.name();
        this.version = source.version();
        this.cls = cls;
        this.topic = topic;
        this.count = count;
        this.rate = rate;
        this.seed = seed;
        this.acceptedAt = Instant.now();
    }

    public String getId() {
        return id;
    }

    public String getGenerator() {
        return generator;
    }

    public String getVersion() {
        return version;
    }

    /** Named as the request names it. */
    @JsonProperty("class")
    public String getClassName() {
        return cls;
    }

    public String getTopic() {
        return topic;
    }

    public int getCount() {
        return count;
    }

    public int getRate() {
        return rate;
    }

    public long getSeed() {
        return seed;
    }

    public String getAcceptedAt() {
        return acceptedAt.toString();
    }

    public int getPublished() {
        return published.get();
    }

    public State getState() {
        return state;
    }

    public String getError() {
        return error;
    }

    void onePublished() {
        published.incrementAndGet();
    }

    void finish() {
        state = State.DONE;
    }

    void fail(String reason) {
        error = reason;
        state = State.FAILED;
    }
}
