package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ModelBundle;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.data.TabularReader;
import io.recon.evaluation.ScoreEvaluation;

/**
 * {@code tabular-benchmark --vae-ensemble N}: VAEs that differ only in their seed, judged by their
 * mean -IWAE beside the single VAE. Training and scoring go through the train command and the
 * bundles, as for the benchmark's own VAE.
 *
 * @param mapper reads the bundles
 * @param log    where the members' training writes
 */
record VaeSeedEnsemble(ObjectMapper mapper, PrintStream log) {

    /**
     * The mean -IWAE of {@code members} VAEs that differ only in their seed (initialisation, batches
     * and importance samples): the first is the bundle already trained, the others are trained here
     * with the next seeds. Every member reads the same encoded rows (the schema is fitted on data
     * alone) and is scored on the same test split. Its time is every member's training and scoring.
     */
    ScoreEvaluation evaluate(List<String> firstTrain, Path firstBundle, int members, double fpr,
            double firstTrainSeconds) {
        long started = System.nanoTime();
        int seedAt = firstTrain.indexOf("--seed") + 1;
        long firstSeed = Long.parseLong(firstTrain.get(seedAt));
        double[] mean = null;
        boolean[] anomalous = null;
        String[] groups = null;
        LabelledTable table = null;
        List<Integer> test = null;
        for (int member = 0; member < members; member++) {
            Path bundle = firstBundle;
            if (member > 0) {
                List<String> train = new ArrayList<>(firstTrain);
                train.set(seedAt, String.valueOf(firstSeed + member));
                bundle = firstBundle.resolveSibling("bundle-seed-" + (firstSeed + member));
                train.set(train.indexOf("--out") + 1, bundle.toString());
                new TrainCommand(mapper, log).run(train.toArray(String[]::new));
            }
            try (ModelBundle b = ModelBundle.load(bundle, Device.cpu(), mapper)) {
                if (table == null) { // every member trained on the same table, split the same way
                    table = EvaluateCommand.labelled(TabularReader.read(Path.of(b.manifest().training().dataFile())),
                            b.manifest());
                    test = table.rowsIn(DatasetSplit.Part.TEST);
                    mean = new double[test.size()];
                    anomalous = new boolean[test.size()];
                    groups = new String[test.size()];
                    for (int j = 0; j < test.size(); j++) {
                        anomalous[j] = !table.isNormal(test.get(j));
                        groups[j] = table.group(test.get(j));
                    }
                }
                double[] iwae = TrainCommand.scores(b.scorer(), TrainCommand.encode(b.encoder(),
                        EvaluateCommand.columnsFor(table, b.encoder()), test), "iwae");
                for (int j = 0; j < iwae.length; j++) {
                    mean[j] += iwae[j] / members;
                }
            }
        }
        double seconds = firstTrainSeconds + (System.nanoTime() - started) / 1e9;
        return ScoreEvaluation.of("vae-iwae-ensemble", mean, anomalous, groups, fpr, Math.round(seconds * 100) / 100.0);
    }
}
