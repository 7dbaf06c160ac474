package io.recon.scorer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
            try {
                events.add(decoder.apply(payload));
                rejections.add(null);
            } catch (InvalidEventException e) {
                events.add(null);
                rejections.add(e);
            } catch (RuntimeException | StackOverflowError e) {
                // One payload that breaks the decoder must not take its batch with it.
                LOG.warnf(e, "A payload made the decoder fail; dead-lettering it alone");
                events.add(null);
                rejections.add(InvalidEventException.decoderFailure(e));
            }
        }
        return new DecodedBatch<>(events, rejections);
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
