package io.recon.scorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

import io.recon.event.InvalidEventException;
import io.recon.event.ImageEvent;

/**
 * Sends each image event to the model trained for its kind of image. A bundle that declares a
 * modality (e.g. the head-CT model, {@code CT}) takes the events whose envelope names that
 * modality; the bundle without one (e.g. the Fashion-MNIST demo model) takes the rest. An event
 * no model takes is rejected as {@code unsupported_modality}, to the dead-letter topic, rather
 * than scored by a model that never saw its kind of image.
 *
 * <p>The envelope's {@code modality} field decides, not a DICOM file's own Modality tag: the
 * image is decoded through the chosen model's window, so the model must be known first.
 */
public final class ImageModelRouter implements AutoCloseable {

    private final List<ImageScorer> scorers;
    /** Decodes a batch's images side by side, one worker per core (daemon threads, closed with the router). */
    private final ExecutorService decoders;

    /**
     * An event's place in a batch: the scorer it goes to and the decoded event, or why it was
     * rejected (then both are null).
     */
    public record Assignment(ImageScorer scorer, ImageEvent event, InvalidEventException rejection) {
    }

    /**
     * @param scorers one per image bundle, in configured order
     * @throws IllegalArgumentException if none is given, or two claim the same modality (or both
     *                                  claim none)
     */
    public ImageModelRouter(List<ImageScorer> scorers) {
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("at least one image model is needed");
        }
        Set<String> claimed = new HashSet<>();
        for (ImageScorer s : scorers) {
            String modality = modalityOf(s);
            if (!claimed.add(modality == null ? "" : modality)) {
                throw new IllegalArgumentException("two image models take " + (modality == null
                        ? "events of any other modality" : "modality " + modality) + ": " + served(scorers));
            }
        }
        this.scorers = List.copyOf(scorers);
        this.decoders = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "recon-image-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /** The scorers, in configured order. */
    public List<ImageScorer> scorers() {
        return scorers;
    }

    /** The scorer for a parsed envelope. */
    public ImageScorer route(JsonNode envelope) {
        JsonNode field = envelope == null ? null : envelope.get("modality");
        String modality = field != null && field.isTextual() && !field.asText().isBlank() ? field.asText().trim()
                : null;
        ImageScorer fallback = null;
        for (ImageScorer s : scorers) {
            String served = modalityOf(s);
            if (served == null) {
                fallback = fallback == null ? s : fallback;
            } else if (served.equalsIgnoreCase(modality)) {
                return s;
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new InvalidEventException("unsupported_modality", (modality == null ? "event names no 'modality'"
                : "no image model for modality '" + modality + "'") + "; this scorer serves " + served(scorers));
    }

    /**
     * Parses, routes and decodes every payload, side by side on every core (each model's decoder
     * brings its image to the model's input size as it decodes, so a batch holds at most one
     * full-size image per core); a rejected or undecodable payload keeps its place with the reason.
     */
    public List<Assignment> assign(List<byte[]> payloads) {
        // DecodedBatch keeps each payload's place and turns any decoder failure into that payload's rejection.
        DecodedBatch<Assignment> decoded = DecodedBatch.decodeInParallel(payloads,
                payload -> assign(scorers.get(0).decoder().envelope(payload)), decoders);
        List<Assignment> out = new ArrayList<>(decoded.size());
        for (int i = 0; i < decoded.size(); i++) {
            Assignment assigned = decoded.events().get(i);
            out.add(assigned != null ? assigned : new Assignment(null, null, decoded.rejections().get(i)));
        }
        return out;
    }

    /**
     * Routes and decodes a parsed envelope (the REST path).
     *
     * @throws InvalidEventException if the envelope or its image is invalid, or no model takes it
     */
    public Assignment assign(JsonNode envelope) {
        ImageScorer scorer = route(envelope);
        return new Assignment(scorer, scorer.decoder().fromTree(envelope), null);
    }

    /**
     * Scores assigned events, one call of {@code scoreGroup} per model with that model's events in
     * batch order; returns the outcomes in batch order, rejections in their places.
     */
    public static List<Outcome> score(List<Assignment> assignments,
            BiFunction<ImageScorer, List<ImageEvent>, List<Outcome>> scoreGroup) {
        Outcome[] outcomes = new Outcome[assignments.size()];
        Map<ImageScorer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < assignments.size(); i++) {
            Assignment a = assignments.get(i);
            if (a.rejection() != null) {
                outcomes[i] = Outcome.rejected(a.rejection());
            } else {
                groups.computeIfAbsent(a.scorer(), s -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<ImageScorer, List<Integer>> g : groups.entrySet()) {
            List<ImageEvent> events = new ArrayList<>(g.getValue().size());
            for (int i : g.getValue()) {
                events.add(assignments.get(i).event());
            }
            List<Outcome> scored = scoreGroup.apply(g.getKey(), events);
            for (int k = 0; k < scored.size(); k++) {
                outcomes[g.getValue().get(k)] = scored.get(k);
            }
        }
        return Arrays.asList(outcomes);
    }

    private static String modalityOf(ImageScorer s) {
        String m = s.bundle().manifest().modality();
        return m == null || m.isBlank() ? null : m.trim().toUpperCase(Locale.ROOT);
    }

    private static String served(List<ImageScorer> scorers) {
        List<String> parts = new ArrayList<>();
        for (ImageScorer s : scorers) {
            String m = modalityOf(s);
            parts.add((m == null ? "any other modality" : m) + " (" + s.bundle().manifest().name() + ")");
        }
        return String.join(", ", parts);
    }

    /** Closes every bundle and stops the decoding workers. */
    @Override
    public void close() {
        decoders.shutdown();
        for (ImageScorer s : scorers) {
            s.bundle().close();
        }
    }
}
