package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.ModelBundle;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.data.TabularReader;
import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.ReportFiles;
import io.recon.evaluation.attribution.CauseRanking;
import io.recon.evaluation.attribution.ElboGradientTimesInput;
import io.recon.evaluation.attribution.ExcessSurprise;
import io.recon.evaluation.attribution.FeatureAttribution;
import io.recon.evaluation.attribution.PermutationShapley;
import io.recon.evaluation.attribution.RankAgreement;
import io.recon.evaluation.attribution.ReferenceRow;
import io.recon.evaluation.attribution.RepairGain;
import io.recon.evaluation.attribution.StandardisedAttribution;
import io.recon.evaluation.attribution.VaeReconstructionError;
import io.recon.evaluation.attribution.VaeReconstructionShare;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.vae.VaeScorer;
import io.recon.progress.ProgressMeter;

/**
 * {@code explain-benchmark}: how often an explanation points at the real cause. Held-out normal
 * flows get one feature corrupted by a realistic amount (a value from another traffic class, a count
 * scaled ten times, a zeroed field, a swapped category: {@link FeatureCorruption}); each method ranks
 * the features of the corrupted row, and the report gives, per corruption kind and method, how often
 * the corrupted feature is ranked first (hit@1), among the first three (hit@3), the average precision
 * of the ranking (one cause: 1 / its rank) and the seconds the method took: over every corrupted row,
 * and over the rows the corruption made alert (the scoring bundle's alert score above its threshold),
 * the only rows the explainer role is ever asked about, and over the rest. A corruption that leaves the row normal to
 * the VAE (another class's value that is ordinary here, a zeroed field often near zero) has no
 * cause an explanation could find.
 *
 * <p>Held-out rows come from the validation split (the bundle's calibration part) by default; methods
 * are compared and chosen there, and {@code --split test} reads the test part once, at the end.
 *
 * <p>Methods, in {@link #METHODS} order: the masked-feature transformer's per-feature surprise and
 * its excess surprise over each feature's normal median, from an explainer bundle ({@code --explainer})
 * or fitted here; the VAE's per-feature share of its reconstruction error (what alerts carry); two
 * baselines on the same VAE, gradient x input of its negative ELBO and sampled Shapley values of its
 * reconstruction error, both against one reference row ({@link ReferenceRow}: training medians and
 * most common categories; Shapley can use random normal training rows as backgrounds instead,
 * {@code --shapley-background}, which did far worse on validation); and the surprise and the VAE's
 * share combined by rank ({@link RankAgreement}), the explainer role's ranking until the VAE was
 * rebuilt on 2026-12-04; and the fall of the VAE's alert score when one feature alone is repaired
 * ({@link RepairGain}), to the VAE's own reconstruction (the role's ranking since it did best on the
 * validation split's alerting rows) or to the transformer's expectation; and that fall in units of
 * the same feature's fall in normal training rows ({@link StandardisedAttribution}).
 */
public record ExplanationBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("explain-benchmark",
            "--model DIR [options]", "hit@1 / hit@3 of explanations against planted single-feature causes")
            .required("model", "DIR", "the VAE bundle (its training table, split and features)")
            .option("explainer", "DIR", null, "an explainer bundle to judge (default: fit a transformer here)")
            .option("split", "NAME", "validation", "held-out normal rows: validation (the calibration part) or "
                    + "test (read once, after methods are chosen on validation)")
            .option("rows", "N", "500", "held-out normal rows corrupted per corruption kind")
            .option("transformer-epochs", "N", "30", "epochs of the transformer fitted here (without --explainer)")
            .option("shapley-permutations", "N", "32", "random permutations per row of sampled Shapley")
            .option("shapley-background", "N", "0", "background rows of sampled Shapley: 0 for the one reference "
                    + "row (training medians, most common categories), else N random normal training rows")
            .option("seed", "N", "7", "seed of the corruptions (Shapley's permutations use seed + 1, its "
                    + "background rows seed + 2, the standardised repair gain's normal rows seed + 3)")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report", "NAME", null, "report file name (default explanations-telemetry-validation, or "
                    + "explanations-telemetry for the test split)");

    /** The methods, in report order. */
    static final List<String> METHODS = List.of("transformer-surprise", "transformer-excess-surprise",
            "vae-reconstruction-share", "vae-elbo-gradient-x-input", "vae-reconstruction-shapley",
            "transformer-surprise+vae-share-ranks", "vae-repair-gain", "vae-repair-gain-all-samples",
            "vae-repair-gain-transformer-expectation", "vae-repair-gain-standardised");

    /** Normal training rows the standardised repair gain takes each feature's median and spread from. */
    private static final int STANDARDISING_ROWS = 2000;
    /** Its smallest spread per feature, in nats of the alert score. */
    private static final double MINIMUM_SPREAD_NATS = 0.01;

    /** Reports are written indented, for people reading them. */
    public ExplanationBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        HeldOutSplit split = HeldOutSplit.parse(a.get("split"));
        int permutations = a.intValue("shapley-permutations");
        int backgroundRows = a.intValue("shapley-background");
        if (backgroundRows < 0) {
            throw new IllegalArgumentException("--shapley-background must be 0 or more, not " + backgroundRows);
        }
        long seed = a.longValue("seed");
        long started = System.nanoTime();
        try (ModelBundle bundle = ModelBundle.load(Path.of(a.required("model")), Device.cpu(), mapper)) {
            Path data = Path.of(bundle.manifest().training().dataFile());
            FeatureEncoder encoder = bundle.encoder();
            LabelledTable table = EvaluateCommand.columnsFor(EvaluateCommand.labelled(TabularReader.read(data),
                    bundle.manifest()), encoder);
            List<Integer> trainIdx = table.rowsIn(DatasetSplit.Part.TRAIN);
            List<Integer> heldOut = table.rowsIn(split.part()).stream().filter(table::isNormal).toList();
            List<float[]> training = TrainCommand.encode(encoder, table, trainIdx);
            float[] reference = ReferenceRow.of(encoder, training);
            out.printf("%,d held-out normal rows (%s split) of %s, %d features%n", heldOut.size(), split.label(), data,
                    encoder.specs().size());
            long fitStarted = System.nanoTime();
            try (BenchmarkedTransformer transformer = a.has("explainer")
                    ? BenchmarkedTransformer.load(Path.of(a.get("explainer")), bundle, mapper, out)
                    : BenchmarkedTransformer.fit(encoder, training, TrainCommand.encode(encoder, table,
                            table.rowsIn(DatasetSplit.Part.CALIBRATION).stream().filter(table::isNormal).toList()),
                            a.intValue("transformer-epochs"))) {
                double prepareSeconds = seconds(fitStarted);
                out.printf("transformer: %s (%.1f s)%n", transformer.source(), prepareSeconds);
                Map<String, FeatureAttribution> vaeMethods = new LinkedHashMap<>();
                vaeMethods.put(METHODS.get(2), new VaeReconstructionShare(bundle.scorer(), encoder));
                ElboGradientTimesInput gradient = new ElboGradientTimesInput(bundle.block(), bundle.manager(), encoder,
                        reference);
                vaeMethods.put(METHODS.get(3), rows -> CauseRanking.magnitudes(gradient.attribute(rows)));
                List<float[]> backgrounds = backgroundRows == 0 ? List.of(reference)
                        : sample(training, backgroundRows, new Random(seed + 2));
                vaeMethods.put(METHODS.get(4), new PermutationShapley(new VaeReconstructionError(bundle.block(),
                        bundle.manager()), encoder, backgrounds, permutations, seed + 1));

                String alertScore = bundle.manifest().scoring().alertScore();
                long noiseSeed = bundle.manifest().scoring().samplesSeed();
                RepairGain repairGain = RepairGain.toReconstruction(bundle.block(), bundle.manager(), encoder,
                        noiseSeed, alertScore);
                vaeMethods.put(METHODS.get(6), repairGain);
                vaeMethods.put(METHODS.get(7), new RepairGain(encoder, RepairGain.vaeReconstruction(bundle.scorer(),
                        encoder), RepairGain.scoredBy(bundle.scorer(), scores -> scores.byName(alertScore))));
                VaeScorer oneSample = new VaeScorer(bundle.block(), bundle.manager(), 1, noiseSeed);
                vaeMethods.put(METHODS.get(8), new RepairGain(encoder, transformer::expectedRows,
                        RepairGain.scoredBy(oneSample, scores -> scores.byName(alertScore))));
                vaeMethods.put(METHODS.get(9), StandardisedAttribution.fit(repairGain,
                        sample(training, STANDARDISING_ROWS, new Random(seed + 3)), MINIMUM_SPREAD_NATS));
                ObjectNode report = head(args, split, bundle, transformer, data, encoder, heldOut.size(),
                        permutations, backgroundRows, prepareSeconds);
                ObjectNode results = report.putObject("results");
                Map<String, Double> totals = new LinkedHashMap<>();
                Random random = new Random(seed);
                ProgressMeter progress = ProgressMeter.forConsole(out);
                FeatureCorruption[] kinds = FeatureCorruption.values();
                for (int k = 0; k < kinds.length; k++) {
                    FeatureCorruption kind = kinds[k];
                    progress.advance(k, kinds.length, "corruptions", "explaining " + kind.label());
                    PlantedCauses planted = PlantedCauses.plant(kind, table, trainIdx, heldOut,
                            Math.min(a.intValue("rows"), heldOut.size()), encoder, random);
                    ObjectNode byMethod = results.putObject(kind.label());
                    byMethod.put("rows", planted.rows().size());
                    if (!planted.rows().isEmpty()) { // e.g. no other traffic class to borrow values from
                        judge(planted, alerting(bundle, planted.rows()), transformer, vaeMethods, byMethod, totals);
                    }
                    progress.accept(kind.label() + ": " + byMethod);
                }
                progress.advance(kinds.length, kinds.length, "corruptions");
                ObjectNode methodSeconds = report.putObject("methodSeconds");
                totals.forEach((m, s) -> methodSeconds.put(m, round(s)));
                report.put("seconds", round(seconds(started)));
                String name = a.get("report", split.defaultReport());
                return ReportFiles.write(mapper, Path.of(a.get("out")), name, report, markdown(report), out);
            }
        }
    }

    /** Ranks the planted rows with every method and records each one's figures and seconds. */
    private void judge(PlantedCauses planted, boolean[] alerting, BenchmarkedTransformer transformer,
            Map<String, FeatureAttribution> vaeMethods, ObjectNode byMethod, Map<String, Double> totals) {
        List<float[]> rows = planted.rows();
        Timed surprise = Timed.of(() -> transformer.surprise(rows));
        Timed excess = Timed.of(() -> ExcessSurprise.of(surprise.values(), transformer.medians()));
        Map<String, Timed> timed = new LinkedHashMap<>();
        timed.put(METHODS.get(0), surprise);
        // The excess reuses the surprise pass: its time is that pass plus the subtraction.
        timed.put(METHODS.get(1), new Timed(excess.values(), surprise.seconds() + excess.seconds()));
        vaeMethods.forEach((m, method) -> timed.put(m, Timed.of(() -> method.attribute(rows))));
        // The combination reuses both passes: its time is theirs plus the ranking.
        Timed share = timed.get(METHODS.get(2));
        Timed agreement = Timed.of(() -> RankAgreement.of(surprise.values(), share.values()));
        timed.put(METHODS.get(5), new Timed(agreement.values(), surprise.seconds() + share.seconds()
                + agreement.seconds()));
        for (String m : METHODS) {
            Timed t = timed.get(m);
            CauseRanking r = CauseRanking.of(t.values(), planted.causes());
            ObjectNode s = byMethod.putObject(m);
            s.put("hitAt1", round(r.hitAt1()));
            s.put("hitAt3", round(r.hitAt3()));
            s.put("averagePrecision", round(r.averagePrecision()));
            s.put("seconds", round(t.seconds()));
            totals.merge(m, t.seconds(), Double::sum);
            putRanking(s.putObject("alerting"), t.values(), planted.causes(), alerting, true);
            // The rest: rows the corruption left normal to the VAE, where a cause is hardest to find.
            putRanking(s.putObject("notAlerting"), t.values(), planted.causes(), alerting, false);
        }
        int alertingRows = 0;
        for (boolean a : alerting) {
            alertingRows += a ? 1 : 0;
        }
        byMethod.put("alertingRows", alertingRows);
    }

    /** hit@1, hit@3 and AP over the rows whose {@code alerting} flag is {@code wanted}, and their count. */
    private static void putRanking(ObjectNode into, double[][] values, List<Integer> causes, boolean[] alerting,
            boolean wanted) {
        List<double[]> chosenValues = new ArrayList<>();
        List<Integer> chosenCauses = new ArrayList<>();
        for (int i = 0; i < alerting.length; i++) {
            if (alerting[i] == wanted) {
                chosenValues.add(values[i]);
                chosenCauses.add(causes.get(i));
            }
        }
        into.put("rows", chosenCauses.size());
        if (chosenCauses.isEmpty()) {
            return;
        }
        CauseRanking r = CauseRanking.of(chosenValues.toArray(double[][]::new), chosenCauses);
        into.put("hitAt1", round(r.hitAt1()));
        into.put("hitAt3", round(r.hitAt3()));
        into.put("averagePrecision", round(r.averagePrecision()));
    }

    /** Which rows the scoring bundle would alert on: their alert score above its threshold. */
    private static boolean[] alerting(ModelBundle bundle, List<float[]> rows) {
        String score = bundle.manifest().scoring().alertScore();
        double threshold = bundle.calibration().threshold();
        double[] scores = RepairGain.scoredBy(bundle.scorer(), s -> s.byName(score)).of(rows);
        boolean[] out = new boolean[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] > threshold;
        }
        return out;
    }

    /** Attributions and the seconds they took. */
    private record Timed(double[][] values, double seconds) {

        static Timed of(Supplier<double[][]> method) {
            long started = System.nanoTime();
            double[][] values = method.get();
            return new Timed(values, ExplanationBenchmarkCommand.seconds(started));
        }
    }

    private ObjectNode head(String[] args, HeldOutSplit split, ModelBundle bundle, BenchmarkedTransformer transformer,
            Path data, FeatureEncoder encoder, int heldOutRows, int permutations, int backgroundRows,
            double prepareSeconds) {
        ObjectNode report = mapper.createObjectNode();
        report.put("benchmark", "Explanations against planted single-feature causes");
        report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        report.put("command", "java -Dai.djl.offline=true " + (threads == null ? "" : "-Dai.djl.pytorch.num_threads="
                + threads + " ") + "-jar target/quarkus-app/quarkus-run.jar explain-benchmark " + String.join(" ", args));
        report.put("split", split.label());
        report.put("heldOutRows", split.description() + ": " + heldOutRows + " rows");
        report.put("model", bundle.manifest().name() + " " + bundle.manifest().version());
        report.put("data", data.toString());
        report.put("features", encoder.specs().size());
        report.put("shapleyPermutations", permutations);
        report.put("shapleyBackgroundRows", backgroundRows);
        ObjectNode t = report.putObject("transformer");
        t.put("source", transformer.source());
        t.put("normalMedians", transformer.mediansSource());
        t.put("seconds", round(prepareSeconds));
        if (split == HeldOutSplit.VALIDATION) {
            t.put("overlap", "the normal medians come from the calibration part's normal rows, the rows this split "
                    + "plants causes in (before corruption); the transformer and the VAE never trained on them");
        }
        ObjectNode methods = report.putObject("methods");
        methods.put(METHODS.get(0), "the masked-feature transformer's surprise of each feature hidden alone, nats "
                + "(the explainer role's first ranking, chosen on the validation split)");
        methods.put(METHODS.get(1), "that surprise minus the feature's median surprise in normal rows (the "
                + "explainer role's first design, dropped on the validation split)");
        methods.put(METHODS.get(2), "the VAE's per-feature share of its reconstruction term at the posterior mean "
                + "(what alerts carry; the explainer role's ranking from the VAE's rebuild of 2026-12-04 until the "
                + "repair gain replaced it the same day)");
        methods.put(METHODS.get(3), "|d(-ELBO)/dx * (x - reference)| summed over a feature's inputs; -ELBO with the "
                + "latent at the posterior mean, reference: " + ReferenceRow.DESCRIPTION);
        methods.put(METHODS.get(4), "sampled Shapley value of the VAE's reconstruction error (" + permutations
                + " permutations per row; features outside a coalition take the values of "
                + (backgroundRows == 0 ? "the reference: " + ReferenceRow.DESCRIPTION
                        : backgroundRows + " random normal training rows, permutation m those of row m mod "
                                + backgroundRows)
                + "); positive = raises the error");
        methods.put(METHODS.get(5), "the transformer's surprise and the VAE's reconstruction share combined by "
                + "rank: minus the sum of a feature's places in both, the surprise breaking ties (the explainer "
                + "role's ranking until the VAE's rebuild of 2026-12-04)");
        methods.put(METHODS.get(6), "how far the VAE's alert score, with one importance sample, falls when the "
                + "feature alone is set to the VAE's own reconstruction of it at the posterior mean (a category to its "
                + "likeliest value); the explainer role's ranking since 2026-12-04, chosen on the validation split's "
                + "alerting rows");
        methods.put(METHODS.get(7), "the same with the bundle's K samples for the alert score (about a seventh as fast)");
        methods.put(METHODS.get(8), "the same as vae-repair-gain with the feature set to the transformer's "
                + "expectation from the other features instead (a number's predicted mean, a category's likeliest "
                + "value)");
        methods.put(METHODS.get(9), "vae-repair-gain as a robust z-score against the same feature's repair gain in "
                + STANDARDISING_ROWS + " random normal training rows: (gain - median) / max(1.4826 x median absolute "
                + "deviation, " + MINIMUM_SPREAD_NATS + " nats)");
        report.set("machine", MachineInfo.describe(mapper, Device.cpu()));
        return report;
    }

    /** {@code n} distinct rows of {@code rows} (all of them when there are fewer), in a seeded random order. */
    private static List<float[]> sample(List<float[]> rows, int n, Random random) {
        List<float[]> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, Math.min(n, shuffled.size())));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * One row per method, one column per corruption kind (hit@1 / hit@3 / AP), then the mean AP: over
     * every corrupted row ({@code subset} null, with each method's seconds from {@code methodSeconds}),
     * or over the rows of one subset ({@code alerting} or {@code notAlerting}).
     */
    private static void methodTable(StringBuilder md, JsonNode results, String subset, JsonNode methodSeconds) {
        boolean allRows = subset == null;
        md.append("| method |");
        results.fields().forEachRemaining(e -> md.append(' ').append(e.getKey()).append(" (")
                .append((allRows ? e.getValue() : e.getValue().path(METHODS.get(0)).path(subset)).path("rows")
                        .asInt()).append(" rows) |"));
        md.append(allRows ? " mean AP | seconds |" : " mean AP |").append("\n|---|")
                .append("---:|".repeat(results.size() + (allRows ? 2 : 1))).append('\n');
        for (String m : METHODS) {
            md.append("| ").append(m).append(" |");
            double apSum = 0;
            int kinds = 0;
            for (var it = results.fields(); it.hasNext();) {
                JsonNode method = it.next().getValue().path(m);
                JsonNode s = allRows ? method : method.path(subset);
                if (!s.has("hitAt1")) { // a kind no row could take, or a subset with no row
                    md.append(allRows ? " (no row could be corrupted this way) |" : " (no such row) |");
                } else {
                    md.append(String.format(" %.3f / %.3f / %.3f |", s.get("hitAt1").asDouble(),
                            s.get("hitAt3").asDouble(), s.get("averagePrecision").asDouble()));
                    apSum += s.get("averagePrecision").asDouble();
                    kinds++;
                }
            }
            md.append(kinds == 0 ? " - |" : String.format(" %.3f |", apSum / kinds));
            if (allRows) {
                JsonNode seconds = methodSeconds.path(m);
                md.append(seconds.isMissingNode() ? " - |" : String.format(" %.2f |", seconds.asDouble()));
            }
            md.append('\n');
        }
    }

    /** One row per method, one column per corruption kind: hit@1 / hit@3 / AP, then seconds. */
    static String markdown(ObjectNode report) {
        JsonNode results = report.get("results");
        StringBuilder md = new StringBuilder("# Explanations against planted single-feature causes\n\n");
        md.append("Held-out normal flows of the **").append(report.get("split").asText()).append("** split, ")
                .append(report.get("heldOutRows").asText()).append(" of ").append(report.get("data").asText())
                .append(", each with one of its ").append(report.get("features").asInt())
                .append(" features corrupted; each method ranks the features. Cells: hit@1 / hit@3 / AP, where "
                        + "hit@k is the share of rows whose corrupted feature is among the first k and AP the "
                        + "average precision of the ranking (one cause: 1 / its rank); ties count against the "
                        + "cause. Seconds: time to attribute every row of every kind.\n\n");
        methodTable(md, results, null, report.path("methodSeconds"));
        md.append("\nThe rows each corruption made alert (alert score above the model's threshold), the only "
                + "rows the explainer role is asked about; the same cells:\n\n");
        methodTable(md, results, "alerting", null);
        md.append("\nThe rows each corruption left below the threshold (normal to the VAE); the same cells:\n\n");
        methodTable(md, results, "notAlerting", null);
        md.append("\nMethods:\n\n");
        report.get("methods").fields().forEachRemaining(e -> md.append("- ").append(e.getKey()).append(": ")
                .append(e.getValue().asText()).append('\n'));
        JsonNode t = report.get("transformer");
        md.append("\nTransformer: ").append(t.get("source").asText()).append("; normal medians: ")
                .append(t.get("normalMedians").asText()).append(" (").append(t.get("seconds").asDouble())
                .append(" s to load or fit)")
                .append(t.has("overlap") ? "; " + t.get("overlap").asText() : "").append(".\n");
        md.append("\nModel: ").append(report.get("model").asText()).append(". Command: `")
                .append(report.get("command").asText()).append("` (").append(report.get("seconds").asDouble())
                .append(" s; ").append(report.get("date").asText()).append("; ")
                .append(report.path("machine").path("cores").asInt()).append(" cores, torch threads ")
                .append(report.path("machine").path("torchThreads").asText()).append(").\n");
        return md.toString();
    }
}
