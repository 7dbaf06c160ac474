package io.recon.cli;

import io.recon.cli.args.CommandArgs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.bundle.BundleDigests;
import io.recon.bundle.ModelManifest;

/**
 * {@code seal-bundle}: records the digests of a bundle's current files in its manifest, for
 * bundles written before manifests listed them. It vouches for nothing: run it only on files
 * you trust (freshly trained ones carry their digests already). Every other manifest field is
 * kept exactly as it is.
 */
public record SealBundleCommand(ObjectMapper mapper, PrintStream out) {

    /** The options and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("seal-bundle", "--model DIR",
            "record the digests of a trusted bundle's files in its manifest")
            .required("model", "DIR", "the bundle");

    /** Runs with command-line options. */
    public void run(String[] args) {
        Path dir = Path.of(CommandArgs.parse(args, OPTIONS).required("model"));
        Path manifestFile = dir.resolve(ModelManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("no " + ModelManifest.FILE + " in " + dir);
        }
        try {
            ObjectNode manifest = (ObjectNode) mapper.readTree(manifestFile.toFile());
            JsonNode quantiles = manifest.path("calibration").path("quantilesFile");
            if (!quantiles.isTextual()) {
                throw new IllegalArgumentException(manifestFile + " names no calibration quantiles file");
            }
            Map<String, String> digests = BundleDigests.of(dir, BundleDigests.required(dir, quantiles.asText()));
            manifest.set("files", mapper.valueToTree(digests));
            mapper.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
            digests.forEach((name, sha) -> out.printf("%s  %s%n", sha, name));
            out.printf("sealed %s: %d files%n", dir, digests.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot update " + manifestFile, e);
        }
    }
}
