package io.recon.cli;

import java.util.Arrays;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.recon.cli.bench.CtExplainBenchmarkCommand;
import io.recon.cli.bench.CtSliceBenchmarkCommand;
import io.recon.cli.bench.FashionExplainBenchmarkCommand;
import io.recon.cli.bench.FashionMnistBenchmarkCommand;
import io.recon.cli.bench.SyntheticImageEvalCommand;

/** The command mode of the jar: dispatches {@code train}, {@code evaluate}, the others and {@code help}. */
public final class Commands {

    private static final Set<String> NAMES = Set.of("train", "evaluate", "train-generator",
            "fashion-mnist-benchmark", "ct-slice-benchmark", "seal-bundle", "synthetic-eval", "synthetic-image-eval",
            "explain-benchmark", "train-explainer", "ct-explain-benchmark", "train-image-explainer",
            "fashion-explain-benchmark", "tabular-benchmark", "replay-sample",
            "help", "--help");

    private Commands() {
    }

    /** Whether {@code word} names a command (anything else starts the service). */
    public static boolean isCommand(String word) {
        return NAMES.contains(word);
    }

    /** Runs a command; returns the process exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            System.out.println(usage(args[0]));
            return 0;
        }
        try {
            switch (args[0]) {
                case "train" -> new TrainCommand(mapper, System.out).run(rest);
                case "evaluate" -> new EvaluateCommand(mapper, System.out).run(rest);
                case "train-generator" -> new TrainGeneratorCommand(mapper, System.out).run(rest);
                case "fashion-mnist-benchmark" -> new FashionMnistBenchmarkCommand(mapper, System.out).run(rest);
                case "ct-slice-benchmark" -> new CtSliceBenchmarkCommand(mapper, System.out).run(rest);
                case "seal-bundle" -> new SealBundleCommand(mapper, System.out).run(rest);
                case "synthetic-eval" -> new SyntheticEvaluateCommand(mapper, System.out).run(rest);
                case "synthetic-image-eval" -> new SyntheticImageEvalCommand(mapper, System.out).run(rest);
                case "explain-benchmark" -> new ExplanationBenchmarkCommand(mapper, System.out).run(rest);
                case "train-explainer" -> new TrainExplainerCommand(mapper, System.out).run(rest);
                case "ct-explain-benchmark" -> new CtExplainBenchmarkCommand(mapper, System.out).run(rest);
                case "fashion-explain-benchmark" -> new FashionExplainBenchmarkCommand(mapper, System.out).run(rest);
                case "train-image-explainer" -> new TrainImageExplainerCommand(mapper, System.out).run(rest);
                case "tabular-benchmark" -> new TabularBenchmarkCommand(mapper, System.out).run(rest);
                case "replay-sample" -> new ReplaySampleCommand(System.out).run(rest);
                default -> {
                    System.out.println(usage());
                    return 0;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("recon " + args[0] + ": " + e.getMessage());
            System.err.println();
            System.err.println(usage(args[0]));
            return 2;
        } catch (RuntimeException e) {
            System.err.println("recon " + args[0] + " failed: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
    }

    /** One command's usage, or all of them for a word that names none. */
    private static String usage(String command) {
        return switch (command) {
            case "train" -> TrainCommand.OPTIONS.usage();
            case "evaluate" -> EvaluateCommand.OPTIONS.usage();
            case "train-generator" -> TrainGeneratorCommand.OPTIONS.usage() + "\n"
                    + TrainImageGeneratorCommand.OPTIONS.usage();
            case "fashion-mnist-benchmark" -> FashionMnistBenchmarkCommand.OPTIONS.usage();
            case "ct-slice-benchmark" -> CtSliceBenchmarkCommand.OPTIONS.usage();
            case "seal-bundle" -> SealBundleCommand.OPTIONS.usage();
            case "synthetic-eval" -> SyntheticEvaluateCommand.OPTIONS.usage();
            case "synthetic-image-eval" -> SyntheticImageEvalCommand.OPTIONS.usage();
            case "explain-benchmark" -> ExplanationBenchmarkCommand.OPTIONS.usage();
            case "train-explainer" -> TrainExplainerCommand.OPTIONS.usage();
            case "ct-explain-benchmark" -> CtExplainBenchmarkCommand.OPTIONS.usage();
            case "fashion-explain-benchmark" -> FashionExplainBenchmarkCommand.OPTIONS.usage();
            case "train-image-explainer" -> TrainImageExplainerCommand.OPTIONS.usage();
            case "tabular-benchmark" -> TabularBenchmarkCommand.OPTIONS.usage();
            case "replay-sample" -> ReplaySampleCommand.OPTIONS.usage();
            default -> usage();
        };
    }

    /** Generated by picocli from each command's declared options. */
    private static String usage() {
        return "usage: java -jar target/quarkus-app/quarkus-run.jar [COMMAND [OPTIONS]]\n"
                + "  (no command): run the service (roles from recon.roles)\n\n"
                + String.join("\n", TrainCommand.OPTIONS.usage(), EvaluateCommand.OPTIONS.usage(), FashionMnistBenchmarkCommand.OPTIONS.usage(),
                        CtSliceBenchmarkCommand.OPTIONS.usage(), SealBundleCommand.OPTIONS.usage(),
                        SyntheticEvaluateCommand.OPTIONS.usage(), SyntheticImageEvalCommand.OPTIONS.usage(),
                        TrainGeneratorCommand.OPTIONS.usage(), TrainImageGeneratorCommand.OPTIONS.usage(),
                        TrainExplainerCommand.OPTIONS.usage(), ExplanationBenchmarkCommand.OPTIONS.usage(),
                        TrainImageExplainerCommand.OPTIONS.usage(), CtExplainBenchmarkCommand.OPTIONS.usage(),
                        FashionExplainBenchmarkCommand.OPTIONS.usage(), TabularBenchmarkCommand.OPTIONS.usage(),
                        ReplaySampleCommand.OPTIONS.usage());
    }
}
