package io.recon.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Markdown of {@code synthetic-image-eval}'s report. */
final class SyntheticImageReport {

    private SyntheticImageReport() {
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Synthetic images: fidelity and use\n\n");
        if (report.has("fashion")) {
            fashion(md, report.get("fashion"));
        }
        if (report.has("ct")) {
            ct(md, report.get("ct"));
        }
        md.append("Command: `").append(report.get("command").asText()).append("` (")
                .append(String.format("%.0f", report.get("totalSeconds").asDouble())).append(" s)\n\n");
        JsonNode machine = report.get("machine");
        md.append("Machine: ").append(machine.get("cpu").asText()).append(", ").append(machine.get("cores").asInt())
                .append(" cores, DJL device ").append(machine.get("device").asText()).append("; ")
                .append(report.get("date").asText()).append(".\n");
        return md.toString();
    }

    private static void fashion(StringBuilder md, JsonNode f) {
        JsonNode images = f.get("images");
        md.append(String.format("## Fashion-MNIST class %d (%s), %.0f%% of its training images%n%n",
                f.get("class").asInt(), f.get("className").asText(), 100 * f.get("fraction").asDouble()));
        md.append(String.format("The class's training images: a pool of %d (what the bundled one-class model trains "
                + "on), the first %d of it (the scarce case: the generators learn from these only) and %d held out "
                + "that nothing trains on. Each one-class VAE sees %,d images in training whatever its set's size "
                + "(the same compute); AUROC of `%s` on the %d test images (%d of the class normal, the other "
                + "classes anomalous).%n%n", images.get("pool").asInt(), images.get("few").asInt(),
                images.get("heldOut").asInt(), f.get("vaeImagesSeen").asInt(), f.get("auroc").get("score").asText(),
                images.get("testNormal").asInt() + images.get("testAnomalous").asInt(),
                images.get("testNormal").asInt()));
        md.append("| one-class VAE trained on | AUROC |\n|---|---:|\n");
        md.append(String.format("| %d real (the scarce case) | %.4f |%n", images.get("few").asInt(),
                f.get("auroc").get("fewReal").asDouble()));
        md.append(String.format("| %d real (the whole pool) | %.4f |%n", images.get("pool").asInt(),
                f.get("auroc").get("poolReal").asDouble()));
        f.get("generators").fields().forEachRemaining(e -> {
            md.append(String.format("| %d %s synthetic only (train on synthetic) | %.4f |%n",
                    images.get("synthetic").asInt(), e.getKey(), e.getValue().get("trainOnSynthetic").asDouble()));
            md.append(String.format("| %d real + %d %s synthetic (use b) | %.4f |%n", images.get("few").asInt(),
                    images.get("synthetic").asInt(), e.getKey(), e.getValue().get("fewRealPlusSynthetic").asDouble()));
        });
        md.append("\nFidelity, in the space of the pool model's posterior means (its encoder: what this class looks "
                + "like to a model of it), against the held-out real images. Two-sample test: AUROC of a 10-nearest-"
                + "neighbour classifier telling synthetic from real (0.5: indistinguishable). Closest record: median "
                + "distance of a synthetic image to the nearest training image over the same for held-out real "
                + "images (near 0: copies; near 1: as new as real images).\n\n");
        md.append("| generator | two-sample AUROC | closest-record ratio | exact copies | training s | sampling s "
                + "| samples |\n|---|---:|---:|---:|---:|---:|---|\n");
        md.append(String.format("| (real: the few against the held-out) | %.3f | | | | | ![real](%s) |%n",
                f.get("realVsRealTwoSampleAuroc").asDouble(), f.get("realGrid").asText()));
        f.get("generators").fields().forEachRemaining(e -> {
            JsonNode g = e.getValue();
            JsonNode dcr = g.get("closestRecord");
            md.append(String.format("| %s | %.3f | %.3f | %.3f | %.0f | %.0f | ![%s](%s) |%n", e.getKey(),
                    g.get("twoSampleAuroc").asDouble(), dcr.get("ratio").asDouble(),
                    dcr.get("exactCopyShare").asDouble(), g.get("trainSeconds").asDouble(),
                    g.get("sampleSeconds").asDouble(), e.getKey(), g.get("grid").asText()));
        });
        md.append('\n');
    }

    private static void ct(StringBuilder md, JsonNode c) {
        JsonNode images = c.get("images");
        md.append("## Head CT: the threshold set with synthetic normal slices (use c)\n\n");
        md.append(String.format("The bundled model `%s` (%s) alerts on `%s` above a threshold set at a %.0f%% "
                + "target false-positive rate on %d posed copies of %d real calibration slices. Each generator learns "
                + "%d posed copies of the %d training slices (never calibration or test slices); %d of its slices "
                + "join the calibration set. Measured on %d clean and %d lesioned posed copies of the %d held-out "
                + "test slices. The bundle's threshold reproduced from the rebuilt calibration images: %s.%n%n",
                c.get("bundle").asText(), c.get("bundleVersion").asText(), c.get("score").asText(),
                100 * c.get("targetFpr").asDouble(), images.get("realCalibrationImages").asInt(),
                images.get("calibrationSlices").asInt(), images.get("generatorTrainingImages").asInt(),
                images.get("trainSlices").asInt(), images.get("syntheticCalibrationImages").asInt(),
                images.get("cleanTestImages").asInt(), images.get("lesionedTestImages").asInt(),
                images.get("testSlices").asInt(), c.get("thresholdReproduced").asBoolean() ? "yes" : "NO"));
        md.append("| calibration set | threshold | clean false-positive rate | lesion recall |\n|---|---:|---:|---:|\n");
        for (JsonNode row : c.get("thresholds")) {
            md.append(String.format("| %s | %.4f | %.4f | %.4f |%n", row.get("calibrationSet").asText(),
                    row.get("threshold").asDouble(), row.get("cleanFalsePositiveRate").asDouble(),
                    row.get("lesionRecall").asDouble()));
        }
        md.append('\n');
        for (JsonNode row : c.get("thresholds")) {
            if (row.has("grid")) {
                md.append(String.format("%s (%.0f s training): median score of its slices %.4f, of the real "
                        + "calibration slices %.4f, of the clean test slices %.4f.%n%n![%s](%s)%n%n",
                        row.get("generator").asText(), row.get("trainSeconds").asDouble(),
                        row.get("syntheticMedianScore").asDouble(), row.get("realCalibrationMedianScore").asDouble(),
                        row.get("cleanTestMedianScore").asDouble(), row.get("generator").asText(),
                        row.get("grid").asText()));
            }
        }
        md.append(String.format("Real training slices, as the generators saw them: ![real](%s)%n%n",
                c.get("realGrid").asText()));
    }
}
