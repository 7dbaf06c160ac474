package io.recon.cli.bench;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** The Markdown form of a {@code ct-slice-benchmark} report. */
final class CtSliceReport {

    private CtSliceReport() {
    }

    static String markdown(JsonNode report) {
        JsonNode r = report.get("results");
        JsonNode data = report.get("data");
        JsonNode s = report.get("settings");
        StringBuilder md = new StringBuilder("# Head CT slices: synthetic lesions and out-of-distribution inputs\n\n");
        md.append(String.format(Locale.ROOT, "One subject's head CT (%s, %s voxels). A convolutional VAE (%dx%d input, "
                + "%s HU) is trained on %d normal axial slices, each shown in fresh random poses every epoch; "
                + "the threshold is set on %d posed copies of %d calibration slices; %d test slices (never trained "
                + "on) are scored in %d posed copies each, clean and with one synthetic lesion.%n%n",
                data.get("volume").asText(), data.get("shape").asText(), s.get("side").asInt(), s.get("side").asInt(),
                report.get("window").asText(), data.get("trainSlices").asInt(),
                data.get("calibrationImages").asInt(), data.get("calibrationSlices").asInt(),
                data.get("testSlices").asInt(), data.get("testCases").asInt() / Math.max(1,
                        data.get("testSlices").asInt())));
        md.append("## Image level: lesioned vs clean copies of the same posed slices\n\n| score | AUROC |\n|---|---:|\n");
        r.get("imageAuroc").fields().forEachRemaining(e -> md.append(String.format(Locale.ROOT, "| %s | %.4f |%n",
                e.getKey().replace('_', ' '), e.getValue().asDouble())));
        md.append(String.format(Locale.ROOT, "%n%d clean and %d lesioned images (%d poses had no room for a lesion). "
                + "Alert score **%s**, threshold %.3f: false-positive rate %.1f%% on clean test images, recall "
                + "%.1f%% on lesioned ones.%n%n", r.get("cleanImages").asInt(), r.get("lesionedImages").asInt(),
                r.get("casesWithoutRoomForALesion").asInt(), report.get("alertScore").asText(),
                r.get("threshold").asDouble(), 100 * r.get("cleanFalsePositiveRate").asDouble(),
                100 * r.get("lesionRecall").asDouble()));
        md.append("| lesion | size | images | AUROC | recall at threshold |\n|---|---|---:|---:|---:|\n");
        for (JsonNode g : r.get("byLesion")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", g.get("kind").asText(),
                    g.get("size").asText(), g.get("images").asInt(), fmt(g.get("auroc")), pct(g.get("recall"))));
        }
        JsonNode p = r.get("pixelAuroc");
        md.append(String.format(Locale.ROOT, "%n## Pixel level%n%nAUROC of the anomaly map over all %,d pixels of the "
                + "lesioned images (%,d lesion pixels): %s for -log p(x|z=mu) per pixel, %s with each pixel's own "
                + "Bernoulli entropy taken off, %s for the 5x5-smoothed signed residual |mean(x - E[x|z=mu])|.%n%n",
                p.get("pixels").asInt(), p.get("lesionPixels").asInt(), fmt(p.get("anomaly_map")),
                fmt(p.get("anomaly_map_excess")), fmt(p.get("smoothed_residual"))));
        md.append("## Out-of-distribution inputs\n\n| input | images | AUROC vs clean test slices | alerted |\n"
                + "|---|---:|---:|---:|\n");
        for (JsonNode o : r.get("outOfDistribution")) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %s |%n", o.get("name").asText(),
                    o.get("images").asInt(), o.get("aurocVsCleanTest").asDouble(), pct(o.get("alertRate"))));
        }
        md.append(String.format(Locale.ROOT, "%nLesions: %s. Poses: %s. Split: %s.%n%n", data.get("lesions").asText(),
                data.get("poses").asText(), data.get("split").asText()));
        md.append(String.format(Locale.ROOT, "Training: %d epochs, latent %d, batch %d, Adam %s annealed to 5%% (half cosine), "
                + "KL warm-up %d epochs, "
                + "likelihood %s, K = %d; %.0f s to train. Command: `%s`%n%n", s.get("epochs").asInt(),
                s.get("latent").asInt(), s.get("batchSize").asInt(), s.get("learningRate").asText(),
                s.get("klWarmup").asInt(), s.get("likelihood").asText().toLowerCase(Locale.ROOT),
                s.get("iwaeSamples").asInt(), report.get("trainSeconds").asDouble(), report.get("command").asText()));
        JsonNode m = report.get("machine");
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, DJL device %s; %s.%n", m.get("cpu").asText(),
                m.get("cores").asInt(), m.get("device").asText(), report.get("date").asText()));
        return md.toString();
    }

    private static String fmt(JsonNode v) {
        return v == null || v.isNull() ? "n/a" : String.format(Locale.ROOT, "%.4f", v.asDouble());
    }

    private static String pct(JsonNode v) {
        return v == null || v.isNull() ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }
}
