package io.recon.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * SHA-256 digests of a bundle's files. The bundle writer records them in the manifest
 * ({@code files}); loading checks them before any byte of the parameters reaches the engine, so
 * a truncated copy, a half-finished rsync or parameters from another training run are refused
 * with a clear error instead of scoring with the wrong weights. The manifest itself is not
 * covered: it is the root these digests hang from (integrity against accidents, not a signature).
 */
public final class BundleDigests {

    /** Extension of DJL parameter files; every one in a bundle folder must be listed. */
    static final String PARAMS_EXTENSION = ".params";

    private BundleDigests() {
    }

    /** The digest of each named file in {@code dir}, in name order. */
    public static Map<String, String> of(Path dir, List<String> names) {
        Map<String, String> files = new TreeMap<>();
        for (String name : names) {
            files.put(name, sha256(dir.resolve(name)));
        }
        return files;
    }

    /** What a bundle folder must list: its parameter files and the calibration quantiles file. */
    public static List<String> required(Path dir, String calibrationFile) {
        List<String> names = new ArrayList<>(parameterFiles(dir));
        names.add(calibrationFile);
        return names;
    }

    /**
     * Checks the digests a manifest lists against the files in {@code dir}.
     *
     * @param required files that must be listed (parameters, calibration)
     * @throws InvalidBundleException naming the first file that is missing, unlisted or changed
     */
    public static void verify(Path dir, Map<String, String> files, List<String> required) {
        if (files == null || files.isEmpty()) {
            throw new InvalidBundleException(dir, "its manifest lists no file digests ('files'); rebuild it, or after "
                    + "checking its files by hand record them with the seal-bundle command");
        }
        for (String name : required) {
            if (!files.containsKey(name)) {
                throw new InvalidBundleException(dir, "its manifest has no digest for " + name);
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String name = file.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new InvalidBundleException(dir, "its manifest lists a file outside the bundle: " + name);
            }
            Path path = dir.resolve(name);
            if (!Files.isRegularFile(path)) {
                throw new InvalidBundleException(dir, name + " is missing");
            }
            String actual = sha256(path);
            if (!actual.equalsIgnoreCase(file.getValue())) {
                throw new InvalidBundleException(dir, name + " does not match its manifest (sha256 " + actual
                        + ", manifest says " + file.getValue() + "): the file is damaged or from another build");
            }
        }
    }

    /** The DJL parameter files in {@code dir}, in name order. */
    static List<String> parameterFiles(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(PARAMS_EXTENSION)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
