package io.recon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Loads the copied sample files from src/test/resources/imaging (see README.md there). */
public final class TestFiles {

    /** Installed-package data used by the optional large-data tests. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    public static final Path CRANIUM = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
    public static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    public static final Path OCTAVE_IMDATA = Path.of("/usr/share/octave/packages/dicom-0.5.1/imdata");

    private TestFiles() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = TestFiles.class.getResourceAsStream("/imaging/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource imaging/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] head(byte[] data, int n) {
        return java.util.Arrays.copyOf(data, n);
    }

    /** Where {@code pattern} first occurs in {@code data}, or -1. */
    public static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
