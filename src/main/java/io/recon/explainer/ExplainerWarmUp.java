package io.recon.explainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;

/**
 * Explains synthetic alerts before the role reads real ones, so that the JIT has compiled the path
 * (encoding, the transformer, the VAE's repair gain, the sentence, the JSON) by the first real alert.
 * Without it the first minute after a start ran interpreted code while the compilers took most of a
 * core: on 2 cores, alerts then waited up to 1-2 s for their explanation (tests/bench/explanation-latency.sh).
 * Nothing it makes is written anywhere. Each synthetic alert draws every number around its feature's
 * training centre (standardised values from a normal distribution with spread 2, clipped to the
 * training range as expected values are) and every category uniformly from the training vocabulary.
 */
final class ExplainerWarmUp {

    /** What a warm-up did. */
    record Done(int alerts, Duration took) {
    }

    /** Alerts per call, cycled: mostly the one or two a poll brings at a steady rate, now and then a burst. */
    private static final int[] BATCHES = {1, 1, 1, 2, 1, 1, 3, 1};
    private static final int BURST_EVERY = 50;
    private static final int BURST = 32;

    private final AlertExplainer explainer;
    private final Map<String, FeatureEncoder> encoders;
    private final ObjectMapper mapper;
    private final Random random = new Random(17);

    /**
     * @param encoders the feature encoder of each tabular model the explainer serves, by model name
     */
    ExplainerWarmUp(AlertExplainer explainer, Map<String, FeatureEncoder> encoders, ObjectMapper mapper) {
        this.explainer = explainer;
        this.encoders = encoders;
        this.mapper = mapper;
    }

    /**
     * Explains about {@code alerts} synthetic alerts, spread over the models; stops early at
     * {@code limit}, or as soon as {@code stop} says so (the process is shutting down).
     */
    Done run(int alerts, Duration limit, BooleanSupplier stop) {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        int done = 0;
        for (int call = 0; done < alerts && !encoders.isEmpty() && System.nanoTime() < deadline && !stop.getAsBoolean();
                call++) {
            int n = call % BURST_EVERY == BURST_EVERY - 1 ? BURST : BATCHES[call % BATCHES.length];
            for (Map.Entry<String, FeatureEncoder> e : encoders.entrySet()) {
                List<ExplainableAlert> batch = new ArrayList<>(n);
                List<float[]> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ExplainableAlert alert = alert(e.getKey(), e.getValue(), done + i);
                    batch.add(alert);
                    rows.add(explainer.encode(alert));
                }
                for (Explanation x : explainer.explain(batch, rows)) {
                    x.toJson(mapper);
                }
                done += n;
            }
        }
        return new Done(done, Duration.ofNanos(System.nanoTime() - started));
    }

    private ExplainableAlert alert(String model, FeatureEncoder encoder, int index) {
        Map<String, Object> features = new LinkedHashMap<>();
        List<FeatureSpec> specs = encoder.specs();
        for (int f = 0; f < specs.size(); f++) {
            FeatureSpec spec = specs.get(f);
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                features.put(spec.name(), encoder.toOriginalUnits(f, 2 * random.nextGaussian()));
            } else {
                List<String> vocabulary = spec.categories();
                features.put(spec.name(), vocabulary.isEmpty() ? FeatureEncoder.OTHER
                        : vocabulary.get(random.nextInt(vocabulary.size())));
            }
        }
        return new ExplainableAlert("warm-up-" + index, "warm-up", "telemetry", model, "warm-up", "high",
                System.currentTimeMillis(), features, null);
    }
}
