package io.recon.cli;

import java.util.Arrays;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.recon.train.EvaluateCommand;
import io.recon.train.CtSliceBenchmarkCommand;
import io.recon.train.FashionMnistBenchmarkCommand;
import io.recon.train.SealBundleCommand;
import io.recon.train.TrainCommand;

/** The command mode of the jar: dispatches {@code train}, {@code evaluate} and {@code help}. */
public final class Commands {

    private static final Set<String> NAMES = Set.of("train", "evaluate", "fashion-mnist-benchmark", "ct-slice-benchmark", "seal-bundle", "help", "--help");

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
        try {
            switch (args[0]) {
                case "train" -> new TrainCommand(mapper, System.out).run(rest);
                case "evaluate" -> new EvaluateCommand(mapper, System.out).run(rest);
                case "fashion-mnist-benchmark" -> new FashionMnistBenchmarkCommand(mapper, System.out).run(rest);
                case "ct-slice-benchmark" -> new CtSliceBenchmarkCommand(mapper, System.out).run(rest);
                case "seal-bundle" -> new SealBundleCommand(mapper, System.out).run(rest);
                default -> {
                    System.out.println(usage());
                    return 0;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("recon " + args[0] + ": " + e.getMessage());
            System.err.println();
            System.err.println(usage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("recon " + args[0] + " failed: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
    }

    private static String usage() {
        return "usage: java -jar target/quarkus-app/quarkus-run.jar [COMMAND]\n"
                + "  (no command)                     run the service (roles from recon.roles)\n"
                + TrainCommand.USAGE + EvaluateCommand.USAGE
                + FashionMnistBenchmarkCommand.USAGE
                + CtSliceBenchmarkCommand.USAGE + SealBundleCommand.USAGE;
    }
}
