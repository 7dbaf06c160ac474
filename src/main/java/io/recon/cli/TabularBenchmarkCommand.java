package io.recon.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.cli.args.CommandArgs;
import io.recon.evaluation.EvaluationReport;
import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.MethodRanking;
import io.recon.evaluation.ReportFiles;
import io.recon.evaluation.ScoreEvaluation;
import io.recon.progress.Progress;
import io.recon.progress.ProgressMeter;

/**
 * {@code tabular-benchmark}: Recon's detectors on public tables it was not built on. Each table
 * that {@code tests/tabular/fetch-tables.sh} wrote becomes an {@link AnomalyTask}; a VAE bundle is
 * trained on its normal training rows with the {@code train} command (its defaults and {@code
 * --vae}, by default the setting chosen on the validation split), and {@code evaluate} judges the
 * VAE's scores, the four baselines and the masked-feature transformer on the same test rows (the
 * split every bundle uses: normal rows 60/20/20 by a hash of the id, every anomaly in test). {@code
 * --split validation} does the same on {@link AnomalyTask#validation} tasks, which hold no test
 * row. Reports AUROC, AUPRC and recall at 1% FPR per table, the time each method took, and each
 * method's mean AUROC and mean rank.
 */
public record TabularBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /**
     * The VAE setting of the benchmark: the train command's defaults, whose learning rate and
     * gradient norm limit were chosen on this benchmark's validation split and the flow capture's
     * held-out normal rows ({@code tests/tabular/choose-vae-settings.sh}, README).
     */
    static final String CHOSEN_VAE_OPTIONS = "";

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("tabular-benchmark",
            "[options]", "Recon's detectors and the baselines on public tables (tests/tabular/fetch-tables.sh)")
            .option("tables", "DIR", "tests/data/tabular", "the tables and their rules.tsv")
            .option("only", "T1,T2", null, "these tables only (default every table of rules.tsv)")
            .option("max-anomaly-share", "X", "0.1", "anomalies kept: at most this share of a task's rows")
            .option("split", "S", "test", "test (every table's test rows: read once, at the end) or validation "
                    + "(the training normals split afresh, and the anomalies the test task leaves out)")
            .option("seed", "N", "42", "seed of the anomalies kept and of every model")
            .option("epochs", "N", "60", "VAE epochs (the train command's default)")
            .option("vae", "K=V ...", CHOSEN_VAE_OPTIONS, "further train command options for the VAE, "
                    + "space-separated (default: none, the train command's defaults), e.g. "
                    + "'latent=4 hidden=256,128' (settings to compare on the validation split); seed=N seeds the VAE "
                    + "alone, leaving the anomalies drawn by --seed")
            .option("vae-ensemble", "N", "1", "also train N - 1 more VAEs with the next seeds and report "
                    + "vae-iwae-ensemble, the mean -IWAE of the N (1: no ensemble)")
            .option("transformer-epochs", "N", "30", "epochs of the masked-feature transformer (0: leave it out)")
            .option("fpr", "X", "0.01", "false-positive rate of the recall figures")
            .option("work", "DIR", "target/tabular-benchmark", "where tasks, bundles and logs go")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report", "NAME", null, "report file name (default tabular-benchmark, or "
                    + "tabular-benchmark-validation)");

    /** The VAE score its bundles alert on, chosen before any of these tables was seen (reported beside the goal). */
    static final String ALERT_SCORE = "vae-iwae";

    /** Reports are written indented, for people reading them. */
    public TabularBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** One row of {@code rules.tsv}. */
    record TableRule(String table, String rule, String source) {
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        long started = System.nanoTime();
        Path tables = Path.of(a.get("tables"));
        Path work = Path.of(a.get("work"));
        List<TableRule> rules = rules(tables, a.list("only"));
        boolean validation = validationSplit(a.get("split"));
        ObjectNode report = mapper.createObjectNode();
        report.put("benchmark", "Recon's detectors on public tables (semi-supervised: trained on normal rows only)");
        report.put("date", Instant.now().toString());
        report.put("command", "java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar tabular-benchmark "
                + String.join(" ", args));
        report.put("split", validation ? "validation" : "test");
        String same = "; every method fitted on the same encoded training rows and judged on the same test rows";
        report.put("protocol", validation
                ? VALIDATION_PROTOCOL + "; those normal rows split 60/20/20 (train / calibration / validation) by a "
                        + "hash of the prefixed id" + same
                : "normal rows split 60/20/20 (train / calibration / test) by a hash of the row id; every kept anomaly "
                        + "is a test row; anomalies kept: at most " + a.get("max-anomaly-share") + " of the task's "
                        + "rows, chosen by SHA-256 of seed and id" + same);
        report.put("vaeOptions", a.get("vae"));
        report.set("machine", MachineInfo.describe(mapper, Device.cpu()));
        ArrayNode perTable = report.putArray("tables");
        MethodRanking auroc = new MethodRanking();
        MethodRanking auprc = new MethodRanking();
        Map<String, Double> seconds = new LinkedHashMap<>();
        ProgressMeter progress = ProgressMeter.forConsole(out);
        for (int r = 0; r < rules.size(); r++) {
            TableRule rule = rules.get(r);
            progress.advance(r, rules.size(), "tables", rule.table());
            AnomalyTask task = validation
                    ? AnomalyTask.validation(tables.resolve(rule.table() + ".csv"), a.doubleValue("max-anomaly-share"),
                            a.longValue("seed"))
                    : AnomalyTask.of(tables.resolve(rule.table() + ".csv"), a.doubleValue("max-anomaly-share"),
                            a.longValue("seed"));
            if (task.anomalies() == 0) {
                progress.accept(rule.table() + ": no anomalies in this split (the test task keeps them all); left out");
                report.withArray("tablesLeftOut").add(rule.table());
                continue;
            }
            ObjectNode t = perTable.addObject();
            List<ScoreEvaluation> methods = runTable(rule, task, work.resolve(validation ? "validation" : "test"), a,
                    t, progress);
            Map<String, Double> aurocs = new LinkedHashMap<>();
            Map<String, Double> auprcs = new LinkedHashMap<>();
            for (ScoreEvaluation m : methods) {
                aurocs.put(m.scorer(), m.auroc());
                auprcs.put(m.scorer(), m.auprc());
                seconds.merge(m.scorer(), m.seconds(), Double::sum);
            }
            auroc.add(aurocs);
            auprc.add(auprcs);
        }
        progress.advance(rules.size(), rules.size(), "tables");
        ObjectNode summary = report.putObject("summary");
        for (String method : auroc.meanFigure().keySet()) {
            ObjectNode s = summary.putObject(method);
            s.put("meanAuroc", round(auroc.meanFigure().get(method)));
            s.put("meanAuprc", round(auprc.meanFigure().get(method)));
            s.put("meanRank", round(auroc.meanRank().get(method)));
            s.put("seconds", Math.round(seconds.get(method) * 10) / 10.0);
        }
        report.set("goal", goal(auroc));
        report.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        String name = a.get("report", validation ? "tabular-benchmark-validation" : "tabular-benchmark");
        return ReportFiles.write(mapper, Path.of(a.get("out")), name, report, markdown(report), out);
    }

    private List<ScoreEvaluation> runTable(TableRule rule, AnomalyTask task, Path work, CommandArgs a, ObjectNode t,
            Progress progress) {
        Path dir = work.resolve(rule.table());
        Path data = dir.resolve(rule.table() + ".csv");
        Path bundle = dir.resolve("bundle");
        // At least ten optimiser steps an epoch on small tables, at most the train command's default batch.
        int batchSize = Math.max(16, Math.min(128, (int) (task.normals() * 0.6) / 10));
        try (PrintStream log = new PrintStream(logFile(dir, rule.table()), true,
                java.nio.charset.StandardCharsets.UTF_8)) {
            task.write(data);
            progress.accept(String.format(Locale.ROOT, "%s: %,d normal rows, %,d anomalies kept (%,d left out); %s",
                    rule.table(), task.normals(), task.anomalies(), task.dropped(), rule.rule()));
            long trainStarted = System.nanoTime();
            List<String> train = new ArrayList<>(List.of("--data", data.toString(), "--name", "tabular-"
                    + rule.table(), "--out", bundle.toString(), "--device", "cpu", "--epochs", a.get("epochs"),
                    "--batch-size", String.valueOf(batchSize)));
            List<String> vae = vaeOptions(a.get("vae"));
            if (!vae.contains("--seed")) {
                train.addAll(List.of("--seed", a.get("seed")));
            }
            train.addAll(vae);
            new TrainCommand(mapper, log).run(train.toArray(String[]::new));
            double trainSeconds = (System.nanoTime() - trainStarted) / 1e9;
            int members = a.intValue("vae-ensemble");
            EvaluationReport r = new EvaluateCommand(mapper, log).run(new String[] {"--model", bundle.toString(),
                "--device", "cpu", "--report-dir", dir.toString(), "--report", "evaluation", "--fpr", a.get("fpr"),
                "--transformer-epochs", a.get("transformer-epochs")});
            List<ScoreEvaluation> methods = new ArrayList<>();
            for (ScoreEvaluation m : r.scorers()) {
                // a VAE score's time includes training the VAE, as a baseline's includes its fit
                double s = m.scorer().startsWith("vae-") ? m.seconds() + trainSeconds : m.seconds();
                methods.add(new ScoreEvaluation(m.scorer(), m.auroc(), m.auprc(), m.recallAtFpr(), Map.of(),
                        Math.round(s * 100) / 100.0));
            }
            if (members > 1) {
                methods.add(new VaeSeedEnsemble(mapper, log).evaluate(train, bundle, members, a.doubleValue("fpr"),
                        trainSeconds));
            }
            t.put("table", rule.table());
            t.put("source", rule.source());
            t.put("anomalies", rule.rule());
            t.put("normalRows", task.normals());
            t.put("anomaliesKept", task.anomalies());
            t.put("anomaliesLeftOut", task.dropped());
            t.put("testNormals", r.normalRows());
            t.put("testAnomalies", r.anomalousRows());
            t.put("vaeBatchSize", batchSize);
            ObjectNode byMethod = t.putObject("methods");
            for (ScoreEvaluation m : methods) {
                ObjectNode o = byMethod.putObject(m.scorer());
                o.put("auroc", round(m.auroc()));
                o.put("auprc", round(m.auprc()));
                o.put("recallAtFpr", round(m.recallAtFpr()));
                o.put("seconds", m.seconds());
            }
            progress.accept("  " + methods.stream().map(m -> String.format(Locale.ROOT, "%s %.3f", m.scorer(),
                    m.auroc())).toList());
            return methods;
        }
    }

    static final String VALIDATION_PROTOCOL = "validation split: only the normal rows the test split trains "
            + "on (ids prefixed, so they split afresh) and, as anomalies, every row the test split leaves out; no "
            + "test row is read; a table whose anomalies the test split keeps entirely is left out";

    private static boolean validationSplit(String split) {
        return switch (split) {
            case "test" -> false;
            case "validation" -> true;
            default -> throw new IllegalArgumentException("--split is test or validation, not '" + split + "'");
        };
    }

    /** {@code latent=4 hidden=256,128} as train command options; a setting the benchmark sets itself is refused. */
    static List<String> vaeOptions(String spec) {
        List<String> options = new ArrayList<>();
        for (String pair : spec.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
                throw new IllegalArgumentException("--vae takes NAME=VALUE pairs, not '" + pair + "'");
            }
            if (List.of("data", "name", "out", "device", "epochs", "batch-size").contains(kv[0])) {
                throw new IllegalArgumentException("--vae cannot set '" + kv[0] + "': the benchmark sets it");
            }
            options.add("--" + kv[0]);
            options.add(kv[1]);
        }
        return options;
    }

    /**
     * Issue 13's goal: the VAE family's best score (by mean AUROC) has the best mean rank of all
     * methods (a tie counts) and a mean AUROC at least 0.01 above the best other method's. The
     * alert score's own margin is reported beside it.
     */
    private ObjectNode goal(MethodRanking auroc) {
        ObjectNode g = mapper.createObjectNode();
        Map<String, Double> mean = auroc.meanFigure();
        Map<String, Double> rank = auroc.meanRank();
        String bestBaseline = null;
        String bestVae = null;
        for (String method : mean.keySet()) {
            if (method.startsWith("vae-")) {
                bestVae = bestVae == null || mean.get(method) > mean.get(bestVae) ? method : bestVae;
            } else if (bestBaseline == null || mean.get(method) > mean.get(bestBaseline)) {
                bestBaseline = method;
            }
        }
        double lowestRank = rank.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        List<String> bestRank = rank.entrySet().stream().filter(e -> e.getValue() == lowestRank)
                .map(Map.Entry::getKey).toList();
        g.put("vaeScore", bestVae);
        g.put("bestOther", bestBaseline);
        double margin = mean.get(bestVae) - mean.get(bestBaseline);
        g.put("meanAurocMargin", round(margin));
        g.set("bestMeanRank", mapper.valueToTree(bestRank));
        g.put("met", margin >= 0.01 && bestRank.contains(bestVae));
        g.put("alertScore", ALERT_SCORE);
        g.put("alertScoreMargin", round(mean.get(ALERT_SCORE) - mean.get(bestBaseline)));
        g.put("alertScoreRank", round(rank.get(ALERT_SCORE)));
        return g;
    }

    private static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Tabular benchmark\n\n");
        md.append("- command: `").append(report.path("command").asText()).append("`\n");
        md.append("- date: ").append(report.path("date").asText()).append("\n");
        md.append("- split: **").append(report.path("split").asText()).append("**\n");
        if (!report.path("vaeOptions").asText().isEmpty()) {
            md.append("- VAE options: `").append(report.path("vaeOptions").asText()).append("`\n");
        }
        md.append("- protocol: ").append(report.path("protocol").asText()).append("\n\n");
        List<String> methods = new ArrayList<>();
        report.path("summary").fieldNames().forEachRemaining(methods::add);
        md.append("## AUROC per table\n\n| table | normal / anomalies (test) |");
        methods.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|---:|").append("---:|".repeat(methods.size())).append('\n');
        report.path("tables").forEach(t -> {
            md.append(String.format(Locale.ROOT, "| %s | %d / %d |", t.path("table").asText(),
                    t.path("testNormals").asInt(), t.path("testAnomalies").asInt()));
            methods.forEach(m -> md.append(String.format(Locale.ROOT, " %.3f |",
                    t.path("methods").path(m).path("auroc").asDouble())));
            md.append('\n');
        });
        md.append("\n## Summary\n\n| method | mean AUROC | mean AUPRC | mean rank | seconds (all tables) |\n"
                + "|---|---:|---:|---:|---:|\n");
        methods.forEach(m -> {
            var s = report.path("summary").path(m);
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.2f | %.1f |%n", m, s.path("meanAuroc")
                    .asDouble(), s.path("meanAuprc").asDouble(), s.path("meanRank").asDouble(), s.path("seconds")
                    .asDouble()));
        });
        var g = report.path("goal");
        List<String> best = new ArrayList<>();
        g.path("bestMeanRank").forEach(b -> best.add(b.asText()));
        md.append(String.format(Locale.ROOT, "%nGoal (issue 13): the VAE family's best score, %s, has the best mean "
                + "rank (best: %s) and a mean AUROC at least 0.01 above the best other method's (%s: margin %+.3f): "
                + "**%s**. The alert score, %s: margin %+.3f, mean rank %.2f.%n", g.path("vaeScore").asText(),
                String.join(", ", best), g.path("bestOther").asText(), g.path("meanAurocMargin").asDouble(),
                g.path("met").asBoolean() ? "met" : "missed", g.path("alertScore").asText(),
                g.path("alertScoreMargin").asDouble(), g.path("alertScoreRank").asDouble()));
        return md.toString();
    }

    private static List<TableRule> rules(Path tables, List<String> only) {
        Path file = tables.resolve("rules.tsv");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found: run bash tests/tabular/fetch-tables.sh");
        }
        try {
            List<TableRule> rules = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                if (f.length == 5 && (only.isEmpty() || only.contains(f[0]))) {
                    rules.add(new TableRule(f[0], f[3], f[4]));
                }
            }
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("no table of " + file + " matches " + only);
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static OutputStream logFile(Path dir, String table) {
        try {
            Files.createDirectories(dir);
            return Files.newOutputStream(dir.resolve(table + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log of " + table + " in " + dir, e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
