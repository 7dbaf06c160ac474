package io.recon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.bundle.GeneratorBundle;
import io.recon.bundle.GeneratorKind;
import io.recon.bundle.ModelManifest;
import io.recon.cli.args.CommandArgs;
import io.recon.data.FeatureRows;

/**
 * The synthetic rows {@code train} adds to its real training rows when, and only when, its command
 * line names a generator bundle and how many rows of which classes ({@code --synthetic-generator},
 * {@code --synthetic-rows iperf3-bulk=200}). They join the training rows only: the feature
 * normalisation is fitted on the real rows, and the threshold is set and the model tested on real
 * rows alone. The bundle's manifest records them ({@link ModelManifest.SyntheticRows}).
 *
 * @param rows   the synthetic rows, in the real rows' feature columns
 * @param record what the manifest says of them
 */
record SyntheticTrainingRows(FeatureRows rows, ModelManifest.SyntheticRows record) {

    static final String USE = "added to the training rows only; the feature normalisation was fitted, the threshold "
            + "set and the model evaluated on real rows alone";

    /** {@code declarations} with the synthetic-row options added. */
    static CommandArgs.Declarations declareOn(CommandArgs.Declarations declarations) {
        return declarations
                .option("synthetic-generator", "DIR", null, "a generator bundle (train-generator) whose rows join the "
                        + "training rows; never the calibration or test rows")
                .option("synthetic-rows", "CLASS=N,..", null, "synthetic rows per traffic class (group column), "
                        + "e.g. iperf3-bulk=200; needs --synthetic-generator")
                .option("synthetic-seed", "N", "7", "seed of the synthetic rows");
    }

    /**
     * The rows the options ask for, or null when they ask for none.
     *
     * @param realTraining the real training rows, whose columns the synthetic rows must have
     */
    static SyntheticTrainingRows read(CommandArgs a, FeatureRows realTraining, ObjectMapper mapper) {
        if (!a.has("synthetic-generator") && !a.has("synthetic-rows")) {
            return null;
        }
        if (!a.has("synthetic-generator") || !a.has("synthetic-rows")) {
            throw new IllegalArgumentException("--synthetic-generator and --synthetic-rows go together: which "
                    + "generator bundle, and how many rows of which classes");
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String item : a.list("synthetic-rows")) {
            String[] kv = item.split("=", 2);
            int n;
            try {
                n = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new IllegalArgumentException("--synthetic-rows takes CLASS=N with N >= 1, not '" + item + "'");
            }
            wanted.put(kv[0].trim(), n);
        }
        Path dir = Path.of(a.get("synthetic-generator"));
        GeneratorKind kind = GeneratorKind.named(GeneratorBundle.manifest(dir, mapper).kind());
        long seed = a.longValue("synthetic-seed");
        List<String[]> rows = new ArrayList<>();
        try (GeneratorBundle.Loaded generator = GeneratorBundle.load(dir, kind, realTraining, mapper)) {
            List<String> classes = generator.generator().classes();
            int i = 0;
            for (Map.Entry<String, Integer> w : wanted.entrySet()) {
                if (!classes.contains(w.getKey())) {
                    throw new IllegalArgumentException("the generator in " + dir + " knows no class '" + w.getKey()
                            + "'; it knows " + classes);
                }
                rows.addAll(generator.sample(w.getKey(), w.getValue(), seed + i++).rows());
            }
            return new SyntheticTrainingRows(realTraining.with(rows), new ModelManifest.SyntheticRows(kind.name(),
                    dir.toString(), generator.manifest().version(), wanted, seed, USE));
        }
    }
}
