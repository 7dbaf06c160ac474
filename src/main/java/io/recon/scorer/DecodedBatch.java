package io.recon.scorer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.recon.event.InvalidEventException;

/**
 * A batch of inputs after decoding: per position, the decoded event or why it was rejected
 * (exactly one of the two is non-null). Shared by the scorers of every stream.
 *
 * @param <E>        event type
 * @param events     decoded events, null where rejected
 * @param rejections reasons, null where decoded
 */
public record DecodedBatch<E>(List<E> events, List<InvalidEventException> rejections) {

    private static final Logger LOG = Logger.getLogger(DecodedBatch.class);

    /**
     * Decodes every payload; a payload the decoder rejects, or that makes it fail, keeps its
     * place with the reason.
     */
    public static <E> DecodedBatch<E> decode(List<byte[]> payloads, Function<byte[], E> decoder) {
        List<E> events = new ArrayList<>(payloads.size());
        List<InvalidEventException> rejections = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            add(decodeOne(payload, decoder), events, rejections);
        }
        return new DecodedBatch<>(events, rejections);
    }

    /**
     * As {@link #decode(List, Function)}, with the payloads decoded side by side on {@code workers};
     * the result keeps the payloads' order.
     */
    public static <E> DecodedBatch<E> decodeInParallel(List<byte[]> payloads, Function<byte[], E> decoder,
            Executor workers) {
        if (payloads.size() < 2) {
            return decode(payloads, decoder);
        }
        List<CompletableFuture<Object>> pending = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            pending.add(CompletableFuture.supplyAsync(() -> decodeOne(payload, decoder), workers));
        }
        List<E> events = new ArrayList<>(payloads.size());
        List<InvalidEventException> rejections = new ArrayList<>(payloads.size());
        for (CompletableFuture<Object> p : pending) {
            add(p.join(), events, rejections);
        }
        return new DecodedBatch<>(events, rejections);
    }

    /** The decoded event, or the {@link InvalidEventException} that stands for the payload. */
    private static <E> Object decodeOne(byte[] payload, Function<byte[], E> decoder) {
        try {
            return Objects.requireNonNull(decoder.apply(payload), "the decoder returned nothing");
        } catch (InvalidEventException e) {
            return e;
        } catch (RuntimeException | StackOverflowError e) {
            // One payload that breaks the decoder must not take its batch with it.
            LOG.warnf(e, "A payload made the decoder fail; dead-lettering it alone");
            return InvalidEventException.decoderFailure(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> void add(Object decoded, List<E> events, List<InvalidEventException> rejections) {
        boolean rejected = decoded instanceof InvalidEventException;
        events.add(rejected ? null : (E) decoded);
        rejections.add(rejected ? (InvalidEventException) decoded : null);
    }

    /** Events that are all valid (the REST path, decoded already). */
    public static <E> DecodedBatch<E> of(List<E> events) {
        return new DecodedBatch<>(new ArrayList<>(events),
                new ArrayList<>(Collections.nCopies(events.size(), (InvalidEventException) null)));
    }

    /** Number of positions. */
    public int size() {
        return events.size();
    }
}
