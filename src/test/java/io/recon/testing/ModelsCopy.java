package io.recon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A copy of {@code models/} in a temporary folder, for tests that damage or rewrite bundles. */
public final class ModelsCopy {

    private ModelsCopy() {
    }

    /** Copies every bundle; returns the copy's root. */
    public static Path create() {
        try {
            Path target = Files.createTempDirectory("recon-models-");
            try (Stream<Path> files = Files.walk(Path.of("models"))) {
                for (Path source : files.toList()) {
                    Path copy = target.resolve(Path.of("models").relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
