package io.recon.cli.args;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code --name value} options of a command, declared once (name, value label, default,
 * description) and parsed by picocli, which also writes the usage from the same declarations.
 * Unknown options are errors: a typo must not silently train with a default.
 */
public final class CommandArgs {

    /** The declarations of one command's options, in the order its usage lists them. */
    public static final class Declarations {

        private final String name;
        private final String synopsis;
        private final String description;
        private final List<Declared> options = new ArrayList<>();

        /** One option: {@code --name LABEL}, its default (null: none) and what it is. */
        private record Declared(String name, String label, String defaultValue, String what, boolean required) {
        }

        private Declarations(String name, String synopsis, String description) {
            this.name = name;
            this.synopsis = synopsis;
            this.description = description;
        }

        /** A command, e.g. {@code command("train", "--data FILE [options]", "build a model bundle ...")}. */
        public static Declarations command(String name, String synopsis, String description) {
            return new Declarations(name, synopsis, description);
        }

        /** An option with a default (null: none, the command works without it or computes one). */
        public Declarations option(String option, String label, String defaultValue, String what) {
            options.add(new Declared(option, label, defaultValue, what, false));
            return this;
        }

        /** An option the command cannot run without. */
        public Declarations required(String option, String label, String what) {
            options.add(new Declared(option, label, null, what, true));
            return this;
        }

        /** The command's name. */
        public String name() {
            return name;
        }

        /** A fresh picocli model of the command (parsing fills it in, so one per parse). */
        public CommandSpec spec() {
            CommandSpec spec = CommandSpec.create().name(name);
            spec.usageMessage().customSynopsis(name + " " + synopsis).description(description).width(100)
                    .sortOptions(false);
            for (Declared o : options) {
                OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).paramLabel(o.label()).type(String.class)
                        .required(o.required());
                String what = o.what();
                if (o.defaultValue() != null) {
                    b.defaultValue(o.defaultValue());
                    what += " (default " + o.defaultValue() + ")";
                }
                spec.addOption(b.description(what).build());
            }
            return spec;
        }

        /** The usage, generated from these declarations. */
        public String usage() {
            StringWriter text = new StringWriter();
            new CommandLine(spec()).usage(new PrintWriter(text));
            return text.toString();
        }
    }

    private final CommandSpec spec;
    private final ParseResult parsed;

    private CommandArgs(CommandSpec spec, ParseResult parsed) {
        this.spec = spec;
        this.parsed = parsed;
    }

    /**
     * Parses {@code args} against the declarations.
     *
     * @throws IllegalArgumentException for an unknown option, a missing value or a missing required option
     */
    public static CommandArgs parse(String[] args, Declarations declarations) {
        CommandSpec spec = declarations.spec();
        try {
            // No @file expansion: a value starting with '@' is a value, not a file to read arguments from.
            return new CommandArgs(spec, new CommandLine(spec).setExpandAtFiles(false).parseArgs(args));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private String value(String name) {
        OptionSpec option = spec.findOption("--" + name);
        if (option == null) {
            throw new IllegalStateException("option --" + name + " is not declared");
        }
        return option.getValue();
    }

    /** The option's value, or its declared default; null when neither. */
    public String get(String name) {
        return value(name);
    }

    /** The option's value, or {@code fallback} (for defaults the command computes). */
    public String get(String name, String fallback) {
        String v = value(name);
        return v != null ? v : fallback;
    }

    /** A required option's value. */
    public String required(String name) {
        String v = value(name);
        if (v == null) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return v;
    }

    public int intValue(String name) {
        return Integer.parseInt(required(name));
    }

    public int intValue(String name, int fallback) {
        String v = value(name);
        return v != null ? Integer.parseInt(v) : fallback;
    }

    public double doubleValue(String name) {
        return Double.parseDouble(required(name));
    }

    public long longValue(String name) {
        return Long.parseLong(required(name));
    }

    /** A comma-separated list; empty when absent. */
    public List<String> list(String name) {
        String v = value(name);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** Whether the option was given on the command line. */
    public boolean has(String name) {
        return parsed.hasMatchedOption("--" + name);
    }
}
