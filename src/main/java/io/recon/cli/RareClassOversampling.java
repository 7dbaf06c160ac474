package io.recon.cli;

import static io.recon.cli.SyntheticEvaluateCommand.features;
import static io.recon.cli.SyntheticEvaluateCommand.round;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.calibration.ThresholdCalibration;
import io.recon.cli.args.CommandArgs;
import io.recon.data.LabelledTable;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.evaluation.BinaryMetrics;
import io.recon.data.FeatureRows;
import io.recon.feature.ValueKind;

/**
 * Does synthetic data fix a rare normal class? The VAE is trained on the real training rows, then
 * on the same rows plus synthetic rows of the rare class, once per generator (SMOTE's, a trained
 * generator's); each model gets its threshold at the target false-positive rate on the real
 * calibration rows, and all are judged on the same real rows: the
 * class's false-positive rate, the false-positive rate on all normal rows, the attack recall and the
 * AUROC.
 */
final class RareClassOversampling {

    private final ObjectMapper mapper;
    private final TrainOnRows trainOnRows;
    private final double targetFpr;

    /**
     * @param mapper      builds the report
     * @param trainOnRows the VAE and its training settings
     * @param targetFpr   false-positive rate each model's threshold is set for
     */
    RareClassOversampling(ObjectMapper mapper, TrainOnRows trainOnRows, double targetFpr) {
        this.mapper = mapper;
        this.trainOnRows = trainOnRows;
        this.targetFpr = targetFpr;
    }

    /**
     * @param rare        the class's name
     * @param train       the real training rows
     * @param classRows   the real training rows of the class
     * @param calibration real normal rows the thresholds are set on
     * @param evaluation  real rows every model is judged on
     * @param added       per generator ("smote", "ctgan"...), its synthetic rows of the class, each set
     *                    added to the real training rows for a model of its own
     */
    ObjectNode measure(String rare, FeatureRows train, FeatureRows classRows, FeatureRows calibration,
            Evaluation evaluation, Map<String, FeatureRows> added) {
        ObjectNode o = mapper.createObjectNode();
        o.put("class", rare);
        o.put("realTrainingRowsOfClass", classRows.size());
        o.put("syntheticRowsAdded", added.values().iterator().next().size());
        o.put("evaluatedOn", evaluation.source());
        o.put("classRows", evaluation.classRows());
        o.put("normalRows", evaluation.normalRows());
        o.put("attackRows", evaluation.attackRows());
        o.set("realOnly", judge(train, calibration, evaluation));
        ObjectNode with = o.putObject("withSyntheticRows");
        for (Map.Entry<String, FeatureRows> e : added.entrySet()) {
            List<String[]> augmented = new ArrayList<>(train.rows());
            augmented.addAll(e.getValue().rows());
            with.set(e.getKey(), judge(train.with(augmented), calibration, evaluation));
        }
        return o;
    }

    /** A VAE on {@code training}, its threshold on the calibration rows, judged on the evaluation rows. */
    private ObjectNode judge(FeatureRows training, FeatureRows calibration, Evaluation evaluation) {
        try (TrainOnRows.Fitted model = trainOnRows.fit(training)) {
            double threshold = ThresholdCalibration.fromNormals(model.scores(calibration), targetFpr).threshold();
            double[] scores = model.scores(evaluation.rows());
            int classAlerts = 0;
            int normalAlerts = 0;
            int attacksCaught = 0;
            List<Double> classScores = new ArrayList<>();
            for (int i = 0; i < scores.length; i++) {
                boolean alert = scores[i] > threshold;
                if (evaluation.attack()[i]) {
                    attacksCaught += alert ? 1 : 0;
                } else {
                    normalAlerts += alert ? 1 : 0;
                    classAlerts += alert && evaluation.inClass()[i] ? 1 : 0;
                    if (evaluation.inClass()[i]) {
                        classScores.add(scores[i]);
                    }
                }
            }
            ObjectNode r = mapper.createObjectNode();
            r.put("trainingRows", training.size());
            r.put("classFalsePositives", classAlerts);
            r.put("classFalsePositiveRate", round(classAlerts / (double) Math.max(1, evaluation.classRows())));
            r.put("falsePositiveRate", round(normalAlerts / (double) Math.max(1, evaluation.normalRows())));
            r.put("attackRecall", round(attacksCaught / (double) Math.max(1, evaluation.attackRows())));
            r.put("auroc", round(BinaryMetrics.auroc(scores, evaluation.attack())));
            // How far the class's flows are from passing: 1 is the threshold, whatever the score's unit.
            if (!classScores.isEmpty()) {
                double median = new Median().evaluate(classScores.stream().mapToDouble(Double::doubleValue).toArray());
                r.put("classMedianScoreOverThreshold", round(median / threshold));
            }
            return r;
        }
    }

    /** The report section as Markdown. */
    static String markdown(JsonNode o) {
        StringBuilder md = new StringBuilder();
        md.append("\n## Oversampling the rare class `").append(o.path("class").asText()).append("`\n\n")
                .append(o.path("realTrainingRowsOfClass").asInt()).append(" real training rows of the class, ")
                .append(o.path("syntheticRowsAdded").asInt()).append(" synthetic rows of it added by each "
                        + "generator (a model per generator); threshold at the target "
                        + "false-positive rate on the calibration split; judged on ")
                .append(o.path("evaluatedOn").asText()).append(": ").append(o.path("classRows").asInt())
                .append(" rows of the class, ").append(o.path("normalRows").asInt()).append(" normal rows, ")
                .append(o.path("attackRows").asInt()).append(" attacks.\n\n")
                .append("| training rows | class false positives | class FPR | class median score / threshold | "
                        + "all-normal FPR | attack recall | AUROC |\n|---|---|---|---|---|---|---|\n");
        row(md, "real only", o.path("realOnly"));
        o.path("withSyntheticRows").fields().forEachRemaining(e -> row(md, "real + " + e.getKey()
                + " rows of the class", e.getValue()));
        return md.toString();
    }

    private static void row(StringBuilder md, String label, JsonNode r) {
        md.append("| ").append(label).append(" (").append(r.path("trainingRows").asInt()).append(") | ")
                .append(r.path("classFalsePositives").asInt()).append(" | ")
                .append(r.path("classFalsePositiveRate").asText()).append(" | ")
                .append(r.path("classMedianScoreOverThreshold").asText()).append(" | ")
                .append(r.path("falsePositiveRate").asText()).append(" | ")
                .append(r.path("attackRecall").asText()).append(" | ").append(r.path("auroc").asText())
                .append(" |\n");
    }

    /** Real rows that judge the oversampling: which are attacks, which belong to the rare class. */
    record Evaluation(FeatureRows rows, boolean[] attack, boolean[] inClass, String source) {

        /**
         * The test split's rows, and every row of a second capture when {@code second} exists, in the
         * columns of {@code train}.
         */
        static Evaluation of(LabelledTable labelled, List<Integer> testIdx, Path second, FeatureRows train,
                CommandArgs a, Map<String, ValueKind> declared, String rare) {
            List<String[]> rows = new ArrayList<>(features(labelled, testIdx).rows());
            List<Boolean> attack = new ArrayList<>();
            List<Boolean> inClass = new ArrayList<>();
            for (int i : testIdx) {
                attack.add(!labelled.isNormal(i));
                inClass.add(labelled.isNormal(i) && labelled.group(i).equals(rare));
            }
            String source = "the test split (" + testIdx.size() + " rows)";
            if (Files.isRegularFile(second)) {
                Table table = TabularReader.read(second);
                LabelledTable other = new LabelledTable(table, TableOptions.roles(a, table, declared));
                int[] columns = new int[train.width()];
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = table.columnIndex(train.names().get(c));
                }
                for (int i = 0; i < other.size(); i++) {
                    String[] cells = new String[columns.length];
                    for (int c = 0; c < columns.length; c++) {
                        cells[c] = other.row(i)[columns[c]];
                    }
                    rows.add(cells);
                    attack.add(!other.isNormal(i));
                    inClass.add(other.isNormal(i) && other.group(i).equals(rare));
                }
                source += " and every row of " + second + " (" + other.size() + " rows)";
            }
            boolean[] attackFlags = new boolean[attack.size()];
            boolean[] classFlags = new boolean[attack.size()];
            for (int i = 0; i < attackFlags.length; i++) {
                attackFlags[i] = attack.get(i);
                classFlags[i] = inClass.get(i);
            }
            return new Evaluation(train.with(rows), attackFlags, classFlags, source);
        }

        int classRows() {
            return count(inClass);
        }

        int attackRows() {
            return count(attack);
        }

        int normalRows() {
            return attack.length - attackRows();
        }

        private static int count(boolean[] flags) {
            int n = 0;
            for (boolean f : flags) {
                n += f ? 1 : 0;
            }
            return n;
        }
    }
}
