package io.recon.cli.bench;

import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.ReportFiles;
import io.recon.cli.args.CommandArgs;
import io.recon.bundle.ImageBundleWriter;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ConvVaeSettings;
import io.recon.nn.vae.ConvVaeTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.bundle.BundleDigests;
import io.recon.evaluation.BinaryMetrics;
import io.recon.data.FashionMnistClass;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.bundle.ImageModelManifest;
import io.recon.nn.EpochRows;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * {@code fashion-mnist-benchmark}: the standard one-class protocol on Fashion-MNIST. For each
 * class c a {@link ConvVaeBlock} is trained on the training images of class c only, then the whole
 * test set is scored (class c normal, the nine others anomalous) and the AUROC of each VAE score
 * is reported, per class and as the mean over classes, in {@code fashion-mnist.json} and
 * {@code fashion-mnist.md}.
 */
public record FashionMnistBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** Where the Debian package {@code dataset-fashion-mnist} puts the IDX files. */
    public static final Path DEFAULT_DATA_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names by label. */
    public static final List<String> CLASS_NAMES = FashionMnistClass.CLASS_NAMES;

    /** The three VAE scores, by their manifest names, in report order. */
    static final List<String> SCORES = ImageAlertScores.RAW;

    /**
     * The same scores minus the image's own Bernoulli entropy (see {@link ImageAlertScores}); only
     * meaningful for the Bernoulli likelihood.
     */
    static final List<String> EXCESS_SCORES = ImageAlertScores.EXCESS;

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = new ConvVaeOptions(20, 16, 64, 2).declareOn(
            CommandArgs.Declarations.command("fashion-mnist-benchmark", "[options]",
                    "one-class Fashion-MNIST: train a conv VAE per class, AUROC on the test set")
            .option("classes", "0,1,..", null, "normal classes to run (default all ten)"))
            .option("train-limit", "N", null, "first N training images of the class (default all, ~6,000)")
            .option("test-limit", "N", null, "first N test images (default all 10,000)")
            .option("validation-images", "N", "1000", "last N training images of the class, never trained on: the "
                    + "validation normals every score is chosen on (0: train on all, no validation)")
            .option("validation-anomalies", "N", "2000", "first N training images of the other classes: the "
                    + "validation anomalies")
            .option("data-dir", "DIR", DEFAULT_DATA_DIR.toString(), "IDX files")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("save-bundle-class", "C", null, "also save class C's model as a bundle, trained without the last "
                    + "--calibration-images training images of C, on which the threshold is then set")
            .option("bundle-dir", "DIR", null, "where that bundle goes (default models/imaging-vae-fashion-C)")
            .option("calibration-images", "N", "1000", "training images of C held out to set the threshold")
            .option("alert-score", "S", null, "the bundle's alert score (default negative_elbo_excess, the best mean "
                    + "AUROC of this benchmark; negative_elbo for continuous-bernoulli)")
            .option("target-fpr", "X", "0.01", "false-positive rate of the bundle's threshold")
            .option("hierarchical-latent", "N", "0", "also train a two-level VAE per class, its upper latent of N "
                    + "dimensions, and judge its scores beside the others (0: none; the run takes about 1.6 times "
                    + "as long)");

    /** Reports are written indented, for people reading them. */
    public FashionMnistBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        List<Integer> classes = new ArrayList<>();
        for (String c : a.list("classes")) {
            classes.add(classLabel(c));
        }
        if (classes.isEmpty()) {
            for (int c = 0; c < CLASS_NAMES.size(); c++) {
                classes.add(c);
            }
        }
        ConvVaeSettings s = ConvVaeOptions.read(a, ConvVaeBlock.SIDE, ConvVaeBlock.DEFAULT_DOWNSAMPLINGS);
        int trainLimit = a.intValue("train-limit", Integer.MAX_VALUE);
        int testLimit = a.intValue("test-limit", Integer.MAX_VALUE);
        int validationImages = a.intValue("validation-images");
        int validationAnomalies = a.intValue("validation-anomalies");
        boolean bernoulli = s.likelihood() == ConvVaeBlock.Likelihood.BERNOULLI;
        int hierarchicalLatent = a.intValue("hierarchical-latent");
        if (hierarchicalLatent < 0) {
            throw new IllegalArgumentException("--hierarchical-latent must be 0 (none) or positive, got "
                    + hierarchicalLatent);
        }
        if (hierarchicalLatent > 0 && !bernoulli) {
            throw new IllegalArgumentException("--hierarchical-latent needs the bernoulli likelihood");
        }
        Integer bundleClass = a.has("save-bundle-class") ? classLabel(a.get("save-bundle-class", "")) : null;
        Path bundleDir = bundleClass == null ? null
                : Path.of(a.get("bundle-dir", "models/imaging-vae-fashion-" + bundleClass));
        Path outDir = Path.of(a.get("out"));
        Path dataDir = Path.of(a.get("data-dir"));
        ImageBundleWriter.Calibration calibration = new ImageBundleWriter.Calibration(
                a.intValue("calibration-images"), a.doubleValue("target-fpr"),
                a.get("alert-score", s.likelihood() == ConvVaeBlock.Likelihood.BERNOULLI ? "negative_elbo_excess"
                        : "negative_elbo"));
        calibration.check(s.likelihood());

        Path trainImagesFile = dataDir.resolve(FashionMnistClass.TRAIN_IMAGES);
        Path trainLabelsFile = dataDir.resolve(FashionMnistClass.TRAIN_LABELS);
        Path testImagesFile = dataDir.resolve(FashionMnistClass.TEST_IMAGES);
        Path testLabelsFile = dataDir.resolve(FashionMnistClass.TEST_LABELS);
        for (Path p : List.of(trainImagesFile, trainLabelsFile, testImagesFile, testLabelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " not found: install the Debian package dataset-fashion-mnist "
                        + "or pass --data-dir");
            }
        }
        IdxImages trainImages = IdxReader.readImages(trainImagesFile);
        int[] trainLabels = IdxReader.readLabels(trainLabelsFile);
        IdxImages testImages = IdxReader.readImages(testImagesFile);
        int[] testLabels = IdxReader.readLabels(testLabelsFile);
        if (trainImages.rows() != ConvVaeBlock.SIDE || trainImages.cols() != ConvVaeBlock.SIDE) {
            throw new IllegalArgumentException("expected 28x28 images, got " + trainImages.rows() + "x"
                    + trainImages.cols());
        }
        int testCount = Math.min(testLimit, testImages.count());
        List<float[]> test = new ArrayList<>(testCount);
        for (int i = 0; i < testCount; i++) {
            test.add(testImages.image(i).pixels());
        }

        String command = BenchmarkReport.command("fashion-mnist-benchmark", args);
        Device device = Device.cpu();
        ObjectNode report = BenchmarkReport.start(mapper,
                "Fashion-MNIST one-class (train on one class, test on the full test set)", command);
        ObjectNode settings = report.putObject("settings");
        settings.put("model", "conv VAE: Conv(32,4x4,s2)-Conv(64,4x4,s2)-Linear | Linear-up(32)-up(1), up = "
                + "ConvTranspose(4x4,s2) as Conv(3x3)+pixel shuffle");
        settings.put("likelihood", s.likelihood().id());
        settings.put("latent", s.latent());
        settings.put("epochs", s.epochs());
        settings.put("batchSize", s.batchSize());
        settings.put("learningRate", s.learningRate());
        settings.put("klWarmupEpochs", s.klWarmup());
        settings.put("iwaeSamples", s.iwaeSamples());
        if (hierarchicalLatent > 0) {
            settings.put("hierarchicalModel", "two-level VAE: the same conv VAE for x-z1 (latent " + s.latent()
                    + "), q(z2|x) = MLP(128) of q(z1|x)'s mean and log-variance, p(z1|z2) = N(MLP(128), I), z2 of "
                    + hierarchicalLatent + " dimensions; same training settings");
        }
        settings.put("seed", s.seed());
        settings.put("testImages", testCount);
        settings.put("validationNormals", validationImages);
        settings.put("validationAnomalies", validationImages > 0 ? validationAnomalies : 0);
        report.set("machine", MachineInfo.describe(mapper, device));
        ArrayNode rows = report.putArray("classes");

        for (int c : classes) {
            long started = System.nanoTime();
            List<float[]> ofClass = new ArrayList<>();
            for (int i = 0; i < trainImages.count(); i++) {
                if (trainLabels[i] == c) {
                    ofClass.add(trainImages.image(i).pixels());
                }
            }
            boolean bundle = bundleClass != null && bundleClass == c;
            // The class's last training images are never trained on: the validation normals, and the
            // bundle's threshold is set on the last --calibration-images of them.
            int heldOut = Math.max(validationImages, bundle ? calibration.images() : 0);
            if (heldOut >= ofClass.size()) {
                throw new IllegalArgumentException("holding out " + heldOut + " images leaves no training images of "
                        + "class " + c + " (" + ofClass.size() + ")");
            }
            List<float[]> held = ofClass.subList(ofClass.size() - (bundle ? calibration.images() : 0), ofClass.size());
            List<float[]> validationNormal = ofClass.subList(ofClass.size() - validationImages, ofClass.size());
            List<float[]> train = ofClass.subList(0, Math.min(trainLimit, ofClass.size() - heldOut));
            List<float[]> validation = new ArrayList<>(validationNormal);
            for (int i = 0; i < trainImages.count() && validationImages > 0
                    && validation.size() < validationNormal.size() + validationAnomalies; i++) {
                if (trainLabels[i] != c) {
                    validation.add(trainImages.image(i).pixels());
                }
            }
            boolean[] validationAnomalous = new boolean[validation.size()];
            for (int i = validationNormal.size(); i < validation.size(); i++) {
                validationAnomalous[i] = true;
            }
            out.printf("class %d (%s): training on %d images%n", c, CLASS_NAMES.get(c), train.size());
            boolean[] anomalous = new boolean[testCount];
            for (int i = 0; i < testCount; i++) {
                anomalous[i] = testLabels[i] != c;
            }
            ObjectNode row = rows.addObject();
            row.put("class", c);
            row.put("name", CLASS_NAMES.get(c));
            row.put("trainImages", train.size());
            row.put("testNormal", testCount - BinaryMetrics.countTrue(anomalous));
            row.put("testAnomalous", BinaryMetrics.countTrue(anomalous));
            ConvVaeTrainer.Result trained = new ConvVaeTrainer(out).train("fashion-mnist-vae",
                    EpochRows.fixed(train), s, device);
            row.put("finalTrainLoss", trained.finalLoss());
            row.put("skippedSteps", trained.skippedSteps().skipped());
            try (Model model = trained.model();
                    PerturbedBackground background = bernoulli
                            ? PerturbedBackground.train(train, s, device, out) : null;
                    HierarchicalImageScores hierarchical = hierarchicalLatent > 0
                            ? HierarchicalImageScores.train(train, s, hierarchicalLatent, device, out) : null) {
                ConvVaeBlock block = (ConvVaeBlock) model.getBlock();
                ImageVaeScorer scorer = new ImageVaeScorer(block, model.getNDManager(), s.iwaeSamples(), s.seed());
                OneClassImageScores candidates = bernoulli
                        ? OneClassImageScores.fit(scorer, train, model.getNDManager(), background) : null;
                if (background != null) {
                    row.put("backgroundFinalTrainLoss", background.training().finalLoss());
                    row.put("backgroundSkippedSteps", background.training().skippedSteps().skipped());
                }
                if (hierarchical != null) {
                    row.put("hierarchicalFinalTrainLoss", hierarchical.training().finalLoss());
                    row.put("hierarchicalSkippedSteps", hierarchical.training().skippedSteps().skipped());
                }
                if (validationImages > 0) {
                    row.put("validationNormal", validationNormal.size());
                    row.put("validationAnomalous", validation.size() - validationNormal.size());
                    Map<String, double[]> validationScores = scores(scorer, candidates, hierarchical, validation);
                    // The halves let the choice rules be judged on validation alone (ScoreChoice).
                    boolean[] first = ScoreChoice.firstHalf(validationAnomalous);
                    row.set("validationAuroc", aurocs(validationScores, validationAnomalous, null));
                    row.set("validationAurocFirstHalf", aurocs(validationScores, validationAnomalous, first));
                    row.set("validationAurocSecondHalf", aurocs(validationScores, validationAnomalous, not(first)));
                }
                Map<String, double[]> testScores = scores(scorer, candidates, hierarchical, test);
                ObjectNode means = row.putObject("meanScore");
                for (String score : SCORES) {
                    means.put(score, mean(testScores.get(score)));
                }
                ObjectNode auroc = aurocs(testScores, anomalous, null);
                row.set("auroc", auroc);
                row.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
                // Test figures are printed only after every choice is made (below), so that whoever
                // follows the run reads the validation split alone until then.
                out.printf("class %d (%s): validation AUROC %s  (%.0f s)%n", c, CLASS_NAMES.get(c),
                        row.path("validationAuroc"), row.get("seconds").asDouble());
                if (bundle) {
                    new ImageBundleWriter(mapper, out).write(model, bundleDir, calibration, held,
                            new ImageModelManifest.Training("Fashion-MNIST (Debian dataset-fashion-mnist) "
                                    + trainImagesFile.getFileName(), c, CLASS_NAMES.get(c), train.size(), held.size(),
                                    s.epochs(), s.batchSize(), s.learningRate(), s.klWarmup(), s.seed(),
                                    row.get("finalTrainLoss").asDouble(), trained.skippedSteps()),
                            ImageBundleWriter.Input.bytes(), s, BundleDigests.sha256(trainImagesFile), auroc, command);
                }
            }
        }
        List<String> reported = new ArrayList<>(bernoulli ? OneClassImageScores.allNames() : SCORES);
        if (hierarchicalLatent > 0) {
            reported.addAll(HierarchicalImageScores.NAMES);
        }
        report.set("meanAuroc", meanOver(rows, "auroc", reported));
        if (validationImages > 0) {
            report.set("meanValidationAuroc", meanOver(rows, "validationAuroc", reported));
            // Chosen from validation figures alone: the rule by its cross-validated mean over the
            // split's two halves, then the scores by the rule on the whole split (ScoreChoice).
            List<String> candidates = reported.stream()
                    .filter(n -> !OneClassImageScores.BASELINES.contains(n)).toList();
            List<ScoreChoice.Outcome> outcomes = ScoreChoice.outcomes(classAurocs(rows), candidates);
            ScoreChoice.Outcome global = outcomes.get(ScoreChoice.Rule.GLOBAL.ordinal());
            report.put("chosenOnValidation", global.choices().get(0));
            report.put("chosenTestMeanAuroc", global.testMean());
            ArrayNode rules = report.putArray("choiceRules");
            for (ScoreChoice.Outcome o : outcomes) {
                ObjectNode rule = rules.addObject();
                rule.put("rule", o.rule().id());
                rule.put("description", o.rule().description());
                rule.put("crossValidatedValidationAuroc", o.crossValidated());
                rule.put("testMeanAuroc", o.testMean());
                ObjectNode choices = rule.putObject("choices");
                for (int i = 0; i < rows.size(); i++) {
                    choices.put(rows.get(i).get("name").asText(), o.choices().get(i));
                }
            }
            ScoreChoice.Outcome chosenRule = ScoreChoice.best(outcomes);
            report.put("chosenRule", chosenRule.rule().id());
            report.put("chosenRuleTestMeanAuroc", chosenRule.testMean());
        }
        for (var row : rows) {
            out.printf("class %d (%s): test AUROC %s%n", row.get("class").asInt(), row.get("name").asText(),
                    row.get("auroc"));
        }
        return ReportFiles.write(mapper, outDir, "fashion-mnist", report, markdown(report), out);
    }

    /** Every score of every image: the VAE's own, then the candidates' and the two-level VAE's where trained. */
    private static Map<String, double[]> scores(ImageVaeScorer scorer, OneClassImageScores candidates,
            HierarchicalImageScores hierarchical, List<float[]> images) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(scorer, images);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String score : SCORES) {
            out.put(score, ImageScoring.named(score, scored, images));
        }
        if (candidates != null) {
            for (String score : EXCESS_SCORES) {
                out.put(score, ImageScoring.named(score, scored, images));
            }
            Map<String, double[]> flat = candidates.score(scored, images);
            out.putAll(flat);
            if (hierarchical != null) {
                out.putAll(hierarchical.score(images, flat.get(OneClassImageScores.WHITENED_PLUS_ENCODER_KNN)));
            }
        }
        return out;
    }

    /** The AUROC of every score, over the images {@code include} marks (all when null). */
    private ObjectNode aurocs(Map<String, double[]> scores, boolean[] anomalous, boolean[] include) {
        int[] kept = IntStream.range(0, anomalous.length).filter(i -> include == null || include[i]).toArray();
        boolean[] labels = new boolean[kept.length];
        for (int j = 0; j < kept.length; j++) {
            labels[j] = anomalous[kept[j]];
        }
        ObjectNode auroc = mapper.createObjectNode();
        scores.forEach((name, values) -> auroc.put(name,
                BinaryMetrics.auroc(Arrays.stream(kept).mapToDouble(i -> values[i]).toArray(), labels)));
        return auroc;
    }

    private static boolean[] not(boolean[] flags) {
        boolean[] out = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) {
            out[i] = !flags[i];
        }
        return out;
    }

    /** Each class's AUROCs as the choice rules read them. */
    private static List<ScoreChoice.ClassAurocs> classAurocs(ArrayNode rows) {
        List<ScoreChoice.ClassAurocs> out = new ArrayList<>();
        for (var row : rows) {
            out.add(new ScoreChoice.ClassAurocs(doubles(row.get("validationAuroc")),
                    doubles(row.get("validationAurocFirstHalf")), doubles(row.get("validationAurocSecondHalf")),
                    doubles(row.get("auroc"))));
        }
        return out;
    }

    private static Map<String, Double> doubles(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    private ObjectNode meanOver(ArrayNode rows, String field, List<String> scores) {
        ObjectNode mean = mapper.createObjectNode();
        for (String score : scores) {
            double sum = 0;
            for (var row : rows) {
                sum += row.get(field).get(score).asDouble();
            }
            mean.put(score, sum / rows.size());
        }
        return mean;
    }

    private static int classLabel(String text) {
        int c;
        try {
            c = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("class must be a label 0-9, got '" + text + "'");
        }
        if (c < 0 || c >= CLASS_NAMES.size()) {
            throw new IllegalArgumentException("class must be a label 0-9, got " + c);
        }
        return c;
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Fashion-MNIST one-class benchmark\n\n");
        ObjectNode s = (ObjectNode) report.get("settings");
        md.append("Protocol: for each class, a convolutional VAE is trained on that class's training images only "
                + "(less the validation normals); "
                + "the test set (").append(s.get("testImages").asInt()).append(" images) is scored with the class "
                + "normal and the nine others anomalous. AUROC of each score (higher score = more anomalous).\n\n");
        List<String> scores = new ArrayList<>();
        report.get("meanAuroc").fieldNames().forEachRemaining(scores::add);
        md.append("| class | name |");
        for (String score : scores) {
            md.append(" ").append(score.replace("_", " ")).append(" |");
        }
        md.append(" train images | seconds |\n|---:|---|");
        md.append("---:|".repeat(scores.size())).append("---:|---:|\n");
        double seconds = 0;
        for (var row : report.get("classes")) {
            md.append(String.format("| %d | %s |", row.get("class").asInt(), row.get("name").asText()));
            for (String score : scores) {
                md.append(String.format(" %.4f |", row.get("auroc").get(score).asDouble()));
            }
            md.append(String.format(" %d | %.0f |%n", row.get("trainImages").asInt(), row.get("seconds").asDouble()));
            seconds += row.get("seconds").asDouble();
        }
        md.append("| | **mean** |");
        for (String score : scores) {
            md.append(String.format(" **%.4f** |", report.get("meanAuroc").get(score).asDouble()));
        }
        md.append(String.format(" | %.0f total |%n%n", seconds));
        if (report.has("meanValidationAuroc")) {
            md.append("Validation split (").append(s.get("validationNormals").asInt()).append(" held-out training "
                    + "images of the class, never trained on, against the first ")
                    .append(s.get("validationAnomalies").asInt()).append(" training images of the other classes): "
                    + "every score is judged there, among the VAE's scores only (pixel knn is the baseline), "
                    + "before the test set's figures are read. Marked (one score for all classes): the best "
                    + "validation mean, the score that rule gives every class.\n\n");
            md.append("| score | validation mean AUROC | test mean AUROC |\n|---|---:|---:|\n");
            String chosen = report.get("chosenOnValidation").asText();
            for (String score : scores) {
                boolean pick = score.equals(chosen);
                md.append(String.format("| %s%s | %.4f | %.4f |%n", score.replace("_", " "),
                        pick ? " (one score for all classes)" : "",
                        report.get("meanValidationAuroc").get(score).asDouble(),
                        report.get("meanAuroc").get(score).asDouble()));
            }
            md.append("\n");
            choiceRules(report, md);
        }
        md.append("Scores: reconstruction error = mean per-pixel -log p(x|z=mu); negative ELBO and IWAE with K = ")
                .append(s.get("iwaeSamples").asInt()).append(" fixed samples; *_excess = the same minus the image's "
                + "own Bernoulli entropy (what a perfect decoder would still pay on grey pixels); negative elbo minus "
                + "png = the negative ELBO minus the image's PNG code length in nats (input complexity); latent "
                + "mahalanobis = distance of the posterior mean from a Gaussian fitted to the training images' "
                + "posterior means; negative elbo excess plus latent = those two, each standardised on training "
                + "images, summed; latent knn = distance of the posterior mean to the 5th nearest training image's, "
                + "and the same sum with it; negative elbo excess plus latent and latent knn = all three standardised "
                + "and summed; mirror averaged = the entropy-corrected negative ELBO plus latent knn averaged over the image and "
                + "its mirror image, mirror shift averaged = over those and the four one-pixel shifts (a transformed image is "
                + "scored with one sample); likelihood ratio = the negative ELBO minus that of a second VAE trained on "
                + "the same images with 20% of their pixels replaced by noise (Ren et al. 2019), and its sum with "
                + "latent knn, each standardised; latent knn whitened = the distance to the 5th nearest training image with the "
                + "posterior means whitened by the latent Gaussian's covariance; encoder feature knn = the same in the "
                + "encoder's last feature map (3136 values), each feature divided by its spread over the training images; and the two "
                + "standardised and summed; pixel knn (a baseline, never chosen) = the raw image's distance to its 5th nearest "
                + "training image.");
        if (s.has("hierarchicalModel")) {
            md.append(" Hierarchical scores (a ").append(s.get("hierarchicalModel").asText()).append("): its two-level "
                    + "negative ELBO minus the image's Bernoulli entropy; its likelihood ratio L - L>1 (Havtorn et al. "
                    + "2021: the ELBO minus the bound with z1 drawn from p(z1|z2) instead of the image's posterior); "
                    + "the kNN distance of its upper and of its lower posterior mean; and the VAE's latent knn "
                    + "whitened plus encoder feature knn plus the ratio, or the upper kNN distance, standardised; "
                    + "the kNN distance in its bottom encoder's feature map (scaled as the flat VAE's), and that "
                    + "distance standardised and added to the sum with the ratio.");
        }
        md.append("\n\n");
        md.append("Model: ").append(s.get("model").asText()).append("; likelihood ")
                .append(s.get("likelihood").asText()).append(", latent ").append(s.get("latent").asInt())
                .append(", ").append(s.get("epochs").asInt()).append(" epochs, batch ")
                .append(s.get("batchSize").asInt()).append(", Adam ").append(s.get("learningRate").asDouble())
                .append(" annealed to 5% (half cosine), KL warm-up ").append(s.get("klWarmupEpochs").asInt())
                .append(" epochs, seed ")
                .append(s.get("seed").asLong()).append(".\n\n");
        md.append("Command: `").append(report.get("command").asText()).append("`\n\n");
        var machine = report.get("machine");
        md.append("Machine: ").append(machine.get("cpu").asText()).append(", ")
                .append(machine.get("cores").asInt()).append(" cores, DJL device ")
                .append(machine.get("device").asText()).append(", ").append(machine.get("os").asText())
                .append("; ").append(report.get("date").asText()).append(".\n");
        return md.toString();
    }

    /** The choice rules' table and the per-class choices (see {@link ScoreChoice}). */
    private static void choiceRules(ObjectNode report, StringBuilder md) {
        md.append("Two rules choose the scores, from validation figures only: one score for all classes, or each "
                + "class its own best score on its own validation split. Each rule is cross-validated on the "
                + "validation split's two halves (it chooses on one half, is measured on the other, both ways round; "
                + "the best score of a split flatters itself there, the per-class one more so); the rule with the "
                + "better cross-validated mean is applied to the whole split and is the benchmark's result.\n\n");
        md.append("| rule | cross-validated validation mean AUROC | test mean AUROC |\n|---|---:|---:|\n");
        String chosenRule = report.get("chosenRule").asText();
        for (var rule : report.get("choiceRules")) {
            boolean pick = rule.get("rule").asText().equals(chosenRule);
            md.append(String.format(pick ? "| **%s (chosen)** | **%.4f** | **%.4f** |%n" : "| %s | %.4f | %.4f |%n",
                    rule.get("description").asText(), rule.get("crossValidatedValidationAuroc").asDouble(),
                    rule.get("testMeanAuroc").asDouble()));
        }
        md.append("\nEach class's own choice (the per-class rule on the whole validation split):\n\n"
                + "| class | score | validation AUROC | test AUROC |\n|---|---|---:|---:|\n");
        for (var rule : report.get("choiceRules")) {
            if (!rule.get("rule").asText().equals(ScoreChoice.Rule.PER_CLASS.id())) {
                continue;
            }
            for (var row : report.get("classes")) {
                String score = rule.get("choices").get(row.get("name").asText()).asText();
                md.append(String.format("| %s | %s | %.4f | %.4f |%n", row.get("name").asText(),
                        score.replace("_", " "), row.get("validationAuroc").get(score).asDouble(),
                        row.get("auroc").get(score).asDouble()));
            }
        }
        md.append("\n");
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
