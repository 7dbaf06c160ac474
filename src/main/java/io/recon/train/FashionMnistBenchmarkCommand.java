package io.recon.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.recon.evaluation.BinaryMetrics;
import io.recon.imaging.IdxImages;
import io.recon.imaging.IdxReader;
import io.recon.model.ConvVaeBlock;
import io.recon.model.ImageModelManifest;
import io.recon.scoring.EventScores;
import io.recon.scoring.ImageAlertScores;
import io.recon.scoring.ImageVaeScorer;

/**
 * {@code fashion-mnist-benchmark}: the standard one-class protocol on Fashion-MNIST. For each
 * class c a {@link ConvVaeBlock} is trained on the training images of class c only, then the whole
 * test set is scored (class c normal, the nine others anomalous) and the AUROC of each VAE score
 * is reported, per class and as the mean over classes, in {@code fashion-mnist.json} and
 * {@code fashion-mnist.md}.
 */
public final class FashionMnistBenchmarkCommand {

    static final Set<String> OPTIONS = Set.of("classes", "epochs", "latent", "iwae-samples", "train-limit",
            "test-limit", "out", "save-bundle-class", "bundle-dir", "batch-size", "learning-rate", "kl-warmup",
            "likelihood", "seed", "data-dir", "calibration-images", "target-fpr", "alert-score");

    /** Where the Debian package {@code dataset-fashion-mnist} puts the IDX files. */
    public static final Path DEFAULT_DATA_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The three VAE scores, by their manifest names, in report order. */
    static final List<String> SCORES = ImageAlertScores.RAW;

    /**
     * The same scores minus the image's own Bernoulli entropy (see {@link ImageAlertScores}); only
     * meaningful for the Bernoulli likelihood.
     */
    static final List<String> EXCESS_SCORES = ImageAlertScores.EXCESS;

    /** Usage text. */
    public static final String USAGE = """
            fashion-mnist-benchmark [options] one-class Fashion-MNIST: train a conv VAE per class, AUROC on the test set
              --classes 0,1,..         normal classes to run (default all ten)
              --epochs N (20) --latent N (16) --batch-size N (64) --learning-rate X (0.001)
              --kl-warmup N (2) --seed N (42)
              --likelihood L           bernoulli | continuous-bernoulli (default bernoulli)
              --iwae-samples K         importance samples for -ELBO and IWAE (default 16)
              --train-limit N          first N training images of the class (default all, ~6,000)
              --test-limit N           first N test images (default all 10,000)
              --data-dir DIR           IDX files (default /usr/share/datasets/fashion-mnist)
              --out DIR                report folder (default tests/bench/results)
              --save-bundle-class C --bundle-dir DIR   also save class C's model as a bundle, trained
                                       without the last --calibration-images N (1000) training images
                                       of C, on which the threshold is then set
              --alert-score S          the bundle's alert score (default negative_elbo_excess, the best
                                       mean AUROC of this benchmark; negative_elbo for continuous-bernoulli)
              --target-fpr X           false-positive rate of the bundle's threshold (default 0.01)
            """;

    private static final int SCORE_BATCH = 100;

    private final ObjectMapper mapper;
    private final PrintStream out;

    /** A command writing progress to {@code out}. */
    public FashionMnistBenchmarkCommand(ObjectMapper mapper, PrintStream out) {
        this.mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.out = out;
    }

    /** Settings of one run. */
    record Settings(int epochs, int latent, int batchSize, double learningRate, int klWarmup, long seed,
            ConvVaeBlock.Likelihood likelihood, int iwaeSamples) {
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
        Settings s = new Settings(a.intValue("epochs", 20), a.intValue("latent", 16), a.intValue("batch-size", 64),
                a.doubleValue("learning-rate", 1e-3), a.intValue("kl-warmup", 2), a.longValue("seed", 42),
                ConvVaeBlock.Likelihood.parse(a.get("likelihood", "bernoulli")), a.intValue("iwae-samples", 16));
        if (s.epochs() < 1 || s.batchSize() < 1 || s.iwaeSamples() < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size and --iwae-samples must be positive");
        }
        int trainLimit = a.intValue("train-limit", Integer.MAX_VALUE);
        int testLimit = a.intValue("test-limit", Integer.MAX_VALUE);
        Integer bundleClass = a.has("save-bundle-class") ? classLabel(a.get("save-bundle-class", "")) : null;
        Path bundleDir = bundleClass == null ? null
                : Path.of(a.get("bundle-dir", "models/imaging-vae-fashion-" + bundleClass));
        Path outDir = Path.of(a.get("out", "tests/bench/results"));
        Path dataDir = Path.of(a.get("data-dir", DEFAULT_DATA_DIR.toString()));
        ImageBundleWriter.Calibration calibration = new ImageBundleWriter.Calibration(
                a.intValue("calibration-images", 1000), a.doubleValue("target-fpr", 0.01),
                a.get("alert-score", s.likelihood() == ConvVaeBlock.Likelihood.BERNOULLI ? "negative_elbo_excess"
                        : "negative_elbo"));
        calibration.check(s.likelihood());

        Path trainImagesFile = dataDir.resolve("train-images-idx3-ubyte.gz");
        Path trainLabelsFile = dataDir.resolve("train-labels-idx1-ubyte.gz");
        Path testImagesFile = dataDir.resolve("t10k-images-idx3-ubyte.gz");
        Path testLabelsFile = dataDir.resolve("t10k-labels-idx1-ubyte.gz");
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
        double[] testEntropy = new double[testCount];
        for (int i = 0; i < testCount; i++) {
            test.add(testImages.image(i).pixels());
            testEntropy[i] = ImageAlertScores.bernoulliEntropy(test.get(i));
        }

        String command = "java -Dai.djl.pytorch.num_threads=2 -jar target/quarkus-app/quarkus-run.jar "
                + "fashion-mnist-benchmark " + String.join(" ", args);
        Device device = Device.cpu();
        ObjectNode report = mapper.createObjectNode();
        report.put("benchmark", "Fashion-MNIST one-class (train on one class, test on the full test set)");
        report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("command", command);
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
        settings.put("seed", s.seed());
        settings.put("testImages", testCount);
        report.set("machine", machine(device));
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
            // The bundle's threshold is set on the class's last training images, never trained on.
            int heldOut = bundle ? calibration.images() : 0;
            if (heldOut >= ofClass.size()) {
                throw new IllegalArgumentException("--calibration-images " + heldOut + " leaves no training images of "
                        + "class " + c + " (" + ofClass.size() + ")");
            }
            List<float[]> held = ofClass.subList(ofClass.size() - heldOut, ofClass.size());
            List<float[]> train = ofClass.subList(0, Math.min(trainLimit, ofClass.size() - heldOut));
            out.printf("class %d (%s): training on %d images%n", c, CLASS_NAMES.get(c), train.size());
            boolean[] anomalous = new boolean[testCount];
            for (int i = 0; i < testCount; i++) {
                anomalous[i] = testLabels[i] != c;
            }
            ObjectNode row = rows.addObject();
            row.put("class", c);
            row.put("name", CLASS_NAMES.get(c));
            row.put("trainImages", train.size());
            row.put("testNormal", testCount - count(anomalous));
            row.put("testAnomalous", count(anomalous));
            try (Model model = train(train, s, device, row)) {
                ConvVaeBlock block = (ConvVaeBlock) model.getBlock();
                double[][] scores = score(new ImageVaeScorer(block, model.getNDManager(), s.iwaeSamples(), s.seed()),
                        test);
                ObjectNode auroc = row.putObject("auroc");
                ObjectNode means = row.putObject("meanScore");
                for (int k = 0; k < SCORES.size(); k++) {
                    auroc.put(SCORES.get(k), BinaryMetrics.auroc(scores[k], anomalous));
                    means.put(SCORES.get(k), mean(scores[k]));
                }
                if (s.likelihood() == ConvVaeBlock.Likelihood.BERNOULLI) {
                    for (int k = 0; k < EXCESS_SCORES.size(); k++) {
                        // The reconstruction error is per pixel, the bounds per image.
                        double scale = k == 0 ? 1.0 / ConvVaeBlock.PIXELS : 1.0;
                        double[] excess = new double[testCount];
                        for (int i = 0; i < testCount; i++) {
                            excess[i] = scores[k][i] - scale * testEntropy[i];
                        }
                        auroc.put(EXCESS_SCORES.get(k), BinaryMetrics.auroc(excess, anomalous));
                    }
                }
                row.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
                out.printf("class %d (%s): AUROC %s  (%.0f s)%n", c, CLASS_NAMES.get(c), auroc,
                        row.get("seconds").asDouble());
                if (bundle) {
                    new ImageBundleWriter(mapper, out).write(model, bundleDir, calibration, held,
                            new ImageModelManifest.Training("Fashion-MNIST (Debian dataset-fashion-mnist) "
                                    + trainImagesFile.getFileName(), c, CLASS_NAMES.get(c), train.size(), held.size(),
                                    s.epochs(), s.batchSize(), s.learningRate(), s.klWarmup(), s.seed(),
                                    row.get("finalTrainLoss").asDouble()),
                            s, FileDigest.sha256(trainImagesFile), auroc, command);
                }
            }
        }
        ObjectNode mean = report.putObject("meanAuroc");
        List<String> reported = new ArrayList<>(SCORES);
        if (s.likelihood() == ConvVaeBlock.Likelihood.BERNOULLI) {
            reported.addAll(EXCESS_SCORES);
        }
        for (String score : reported) {
            double sum = 0;
            for (var row : rows) {
                sum += row.get("auroc").get(score).asDouble();
            }
            mean.put(score, sum / rows.size());
        }
        return write(report, outDir);
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

    /** Trains a conv VAE on {@code images} with Adam and a linear KL warm-up; the caller closes the model. */
    private Model train(List<float[]> images, Settings s, Device device, ObjectNode row) {
        if (images.size() < s.batchSize()) {
            throw new IllegalArgumentException("need at least " + s.batchSize() + " training images, got "
                    + images.size());
        }
        Engine.getInstance().setRandomSeed((int) s.seed());
        Model model = Model.newInstance("fashion-mnist-vae", device);
        model.setBlock(new ConvVaeBlock(s.latent(), s.likelihood()));
        ConvVaeBlock.NegativeElbo loss = new ConvVaeBlock.NegativeElbo(s.likelihood());
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) s.learningRate()))
                        .optClipGrad(5f)
                        .build())
                .optDevices(new Device[] {device});
        int width = ConvVaeBlock.PIXELS;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            order.add(i);
        }
        Random shuffle = new Random(s.seed());
        double epochLoss = Double.NaN;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(s.batchSize(), width));
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                float beta = Math.min(1f, (epoch + 1f) / Math.max(1, s.klWarmup()));
                Collections.shuffle(order, shuffle);
                double sum = 0;
                int seen = 0;
                // Drop the last partial batch: every step sees the same batch size.
                for (int start = 0; start + s.batchSize() <= order.size(); start += s.batchSize()) {
                    float[] flat = new float[s.batchSize() * width];
                    for (int b = 0; b < s.batchSize(); b++) {
                        System.arraycopy(images.get(order.get(start + b)), 0, flat, b * width, width);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(flat, new Shape(s.batchSize(), width));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(new NDList(x));
                            NDArray batchLoss = loss.evaluate(x, predictions, beta);
                            collector.backward(batchLoss);
                            sum += batchLoss.getFloat() * s.batchSize();
                            seen += s.batchSize();
                        }
                        trainer.step();
                    }
                }
                epochLoss = sum / seen;
                if (!Double.isFinite(epochLoss)) {
                    throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + " (loss "
                            + epochLoss + "); lower the learning rate");
                }
                if ((epoch + 1) % 5 == 0 || epoch == 0 || epoch + 1 == s.epochs()) {
                    out.printf("  epoch %3d/%d  KL weight %.2f  -ELBO %.2f nats/image%n", epoch + 1, s.epochs(), beta,
                            epochLoss);
                }
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        row.put("finalTrainLoss", epochLoss);
        return model;
    }

    /** Scores {@code images} in batches; returns {@code [reconstruction, -ELBO, IWAE]} per image. */
    static double[][] score(ImageVaeScorer scorer, List<float[]> images) {
        double[][] scores = new double[SCORES.size()][images.size()];
        for (int start = 0; start < images.size(); start += SCORE_BATCH) {
            List<ImageVaeScorer.ImageScore> batch = scorer.score(
                    images.subList(start, Math.min(images.size(), start + SCORE_BATCH)));
            for (int i = 0; i < batch.size(); i++) {
                EventScores e = batch.get(i).scores();
                for (int k = 0; k < SCORES.size(); k++) {
                    scores[k][start + i] = e.byName(SCORES.get(k));
                }
            }
        }
        return scores;
    }

    private Path write(ObjectNode report, Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path json = outDir.resolve("fashion-mnist.json");
            mapper.writeValue(json.toFile(), report);
            Files.writeString(outDir.resolve("fashion-mnist.md"), markdown(report));
            out.println("report written to " + json + " and fashion-mnist.md");
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir, e);
        }
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Fashion-MNIST one-class benchmark\n\n");
        ObjectNode s = (ObjectNode) report.get("settings");
        md.append("Protocol: for each class, a convolutional VAE is trained on that class's training images only; "
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
        md.append("Scores: reconstruction error = mean per-pixel -log p(x|z=mu); negative ELBO and IWAE with K = ")
                .append(s.get("iwaeSamples").asInt()).append(" fixed samples; *_excess = the same minus the image's "
                + "own Bernoulli entropy (what a perfect decoder would still pay on grey pixels).\n\n");
        md.append("Model: ").append(s.get("model").asText()).append("; likelihood ")
                .append(s.get("likelihood").asText()).append(", latent ").append(s.get("latent").asInt())
                .append(", ").append(s.get("epochs").asInt()).append(" epochs, batch ")
                .append(s.get("batchSize").asInt()).append(", Adam ").append(s.get("learningRate").asDouble())
                .append(", KL warm-up ").append(s.get("klWarmupEpochs").asInt()).append(" epochs, seed ")
                .append(s.get("seed").asLong()).append(".\n\n");
        md.append("Command: `").append(report.get("command").asText()).append("`\n\n");
        var machine = report.get("machine");
        md.append("Machine: ").append(machine.get("cpu").asText()).append(", ")
                .append(machine.get("cores").asInt()).append(" cores, DJL device ")
                .append(machine.get("device").asText()).append(", ").append(machine.get("os").asText())
                .append("; ").append(report.get("date").asText()).append(".\n");
        return md.toString();
    }

    private ObjectNode machine(Device device) {
        ObjectNode m = mapper.createObjectNode();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("device", device.toString());
        m.put("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report just says so.
        }
        return "unknown CPU";
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            if (f) {
                n++;
            }
        }
        return n;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
