package io.recon.explainer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.recon.bundle.ExplainerBundle;
import io.recon.event.InvalidEventException;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.feature.ValueKind;
import io.recon.nn.explainer.MaskedFeatureModel;

/**
 * Explains alerts with the explainers loaded for their scoring models. Of a telemetry alert, each
 * feature is hidden in turn and predicted from the others by the masked-feature transformer, which
 * gives each feature's expected value or category and its surprise; the features are ranked by how
 * far the scoring VAE's alert score falls when that feature alone is repaired ({@link VaeCauses}),
 * the leading ones turned into causes with observed and expected values and into one sentence;
 * image alerts go to their model's {@link ImageAlertExplainer}.
 */
final class AlertExplainer {

    /** Causes listed per explanation. */
    static final int TOP_CAUSES = 5;
    /**
     * The ranking: how far the VAE's alert score falls when the feature alone is set to the VAE's
     * reconstruction of it, the reconstruction share and then the surprise breaking ties. On
     * explain-benchmark's validation split it ranked planted causes best among the rows that alert
     * (mean AP 0.974; the share alone, the ranking before, 0.921; README).
     */
    static final String METHOD = "VAE repair gain (alert score fall with the feature set to its reconstruction)";
    /** Without the scoring VAE (its bundle not found or of another schema): the surprise alone. */
    static final String SURPRISE_ONLY = "masked-feature surprise";

    private final Map<String, ExplainerBundle> byModel;
    private final Map<String, VaeCauses> vaeCauses;
    private final Map<String, ImageAlertExplainer> byImageModel;
    private final Clock clock;

    /**
     * @param byModel      explainer bundles by the name of the tabular model they explain
     * @param vaeCauses    per tabular model, what its VAE says of each feature; a model missing here
     *                     is explained by the surprise alone
     * @param byImageModel image explainers by the name of the image model they explain
     */
    AlertExplainer(Map<String, ExplainerBundle> byModel, Map<String, VaeCauses> vaeCauses,
            Map<String, ImageAlertExplainer> byImageModel, Clock clock) {
        this.byModel = byModel;
        this.vaeCauses = vaeCauses;
        this.byImageModel = byImageModel;
        this.clock = clock;
    }

    /** The scoring models served. */
    List<String> models() {
        return Stream.concat(byModel.keySet().stream(), byImageModel.keySet().stream()).sorted()
                .toList();
    }

    /**
     * Checks that an alert can be explained and encodes its features.
     *
     * @throws InvalidEventException {@code no_explainer} for a model without an explainer (image
     *                               alerts among them), or the encoder's reason for features that do
     *                               not fit the model's schema
     */
    float[] encode(ExplainableAlert alert) {
        if ("imaging".equals(alert.stream()) && byImageModel.containsKey(alert.model())) {
            return byImageModel.get(alert.model()).decode(alert);
        }
        ExplainerBundle bundle = byModel.get(alert.model());
        if (bundle == null || alert.features() == null) {
            throw new InvalidEventException("no_explainer", "no explainer serves " + alert.stream()
                    + " alerts of model '" + alert.model() + "' (explainers loaded for: "
                    + String.join(", ", models()) + "; set recon.models.explainers)");
        }
        return bundle.encoder().encode(alert.features());
    }

    /** Explains alerts whose rows {@link #encode} accepted, in order (one network call per model). */
    List<Explanation> explain(List<ExplainableAlert> alerts, List<float[]> rows) {
        List<Explanation> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            out.add(null);
        }
        for (Map.Entry<String, ExplainerBundle> e : byModel.entrySet()) {
            List<Integer> mine = new ArrayList<>();
            List<float[]> encoded = new ArrayList<>();
            for (int i = 0; i < alerts.size(); i++) {
                if (!"imaging".equals(alerts.get(i).stream()) && alerts.get(i).model().equals(e.getKey())) {
                    mine.add(i);
                    encoded.add(rows.get(i));
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            List<MaskedFeatureModel.Explanation> said = e.getValue().model().explain(encoded);
            VaeCauses vae = vaeCauses.get(e.getKey());
            VaeCauses.Attributions a = vae == null ? null : vae.of(encoded);
            double[][] gains = a == null ? null : a.repairGain();
            double[][] shares = a == null ? null : a.share();
            long now = clock.millis();
            for (int k = 0; k < mine.size(); k++) {
                int i = mine.get(k);
                out.set(i, explanation(alerts.get(i), said.get(k), gains == null ? null : gains[k],
                        shares == null ? null : shares(shares[k]), e.getValue(), now));
            }
        }
        for (Map.Entry<String, ImageAlertExplainer> e : byImageModel.entrySet()) {
            List<Integer> mine = new ArrayList<>();
            List<ExplainableAlert> theirs = new ArrayList<>();
            List<float[]> images = new ArrayList<>();
            for (int i = 0; i < alerts.size(); i++) {
                if (out.get(i) == null && "imaging".equals(alerts.get(i).stream())
                        && alerts.get(i).model().equals(e.getKey())) {
                    mine.add(i);
                    theirs.add(alerts.get(i));
                    images.add(rows.get(i));
                }
            }
            if (!mine.isEmpty()) {
                List<Explanation> said = e.getValue().explain(theirs, images, clock.millis());
                for (int k = 0; k < mine.size(); k++) {
                    out.set(mine.get(k), said.get(k));
                }
            }
        }
        return out;
    }

    private static Explanation explanation(ExplainableAlert alert, MaskedFeatureModel.Explanation said,
            double[] repairGain, double[] vaeShare, ExplainerBundle bundle, long now) {
        FeatureEncoder encoder = bundle.encoder();
        List<FeatureSpec> specs = encoder.specs();
        double[] median = bundle.manifest().normalSurprise().median();
        double[] ranking = repairGain == null ? said.surprise() : repairGain;
        double[] share = vaeShare == null ? new double[specs.size()] : vaeShare;
        // Ordered by the unrounded ranking, then share and surprise, so ties survive the rounding shown.
        List<Integer> order = new ArrayList<>(specs.size());
        for (int f = 0; f < specs.size(); f++) {
            order.add(f);
        }
        order.sort(Comparator.comparingDouble((Integer f) -> ranking[f]).thenComparingDouble(f -> share[f])
                .thenComparingDouble(f -> said.surprise()[f]).reversed());
        List<FeatureCause> top = new ArrayList<>(TOP_CAUSES);
        for (int f : order.subList(0, Math.min(TOP_CAUSES, order.size()))) {
            Double shown = vaeShare == null ? null : round(share[f]);
            top.add(cause(encoder, f, alert.features().get(specs.get(f).name()), said, median[f], shown, ranking[f]));
        }
        // Every category as context; the sentence leaves out the ones it names as causes.
        List<String> context = new ArrayList<>();
        for (FeatureSpec spec : specs) {
            if (spec.kind() == FeatureSpec.Kind.CATEGORICAL) {
                context.add(spec.name() + " " + alert.features().get(spec.name()));
            }
        }
        ExplainerBundle.Manifest m = bundle.manifest();
        return new Explanation(alert.eventId(), alert.source(), alert.stream(), alert.model(), alert.version(),
                alert.severity(), ExplanationSentence.of(top, context), List.copyOf(top), round(said.total()), null, null,
                new Explanation.Explainer(m.name(), m.version(), m.kind(), repairGain == null ? SURPRISE_ONLY : METHOD),
                alert.scoredAt(), now);
    }

    /** Each feature's part of the VAE's reconstruction term, 0..1 (all 0 when the term is 0). */
    private static double[] shares(double[] vaeShare) {
        double total = Arrays.stream(vaeShare).sum();
        double[] out = new double[vaeShare.length];
        for (int f = 0; f < out.length; f++) {
            out[f] = total > 0 ? vaeShare[f] / total : 0;
        }
        return out;
    }

    private static FeatureCause cause(FeatureEncoder encoder, int f, Object observed,
            MaskedFeatureModel.Explanation said, double normalMedian, Double vaeShare, double ranking) {
        FeatureSpec spec = encoder.specs().get(f);
        double surprise = said.surprise()[f];
        double contribution = round(ranking);
        if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
            double mean = said.expected()[f];
            double sd = said.spread()[f];
            boolean whole = spec.valueKind() == ValueKind.COUNT || spec.valueKind() == ValueKind.SIZE;
            double expected = units(encoder, f, mean, whole);
            List<Double> range = List.of(units(encoder, f, mean - 2 * sd, whole), units(encoder, f, mean + 2 * sd,
                    whole));
            return new FeatureCause(spec.name(), observed, expected, range, null, round(surprise), round(normalMedian),
                    vaeShare, contribution);
        }
        return new FeatureCause(spec.name(), observed, encoder.categoryAt(f, said.likeliestSlot()[f]), null,
                round(said.likeliestShare()[f]), round(surprise), round(normalMedian), vaeShare, contribution);
    }

    /** A standardised value in original units: whole for counts and sizes, else four significant digits. */
    private static double units(FeatureEncoder encoder, int f, double standardised, boolean whole) {
        double v = encoder.toOriginalUnits(f, standardised);
        if (whole) {
            return Math.round(v);
        }
        return v == 0 ? 0 : new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
