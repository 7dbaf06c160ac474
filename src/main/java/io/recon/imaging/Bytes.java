package io.recon.imaging;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading whole files or (optionally gzipped) byte arrays with a size cap. */
public final class Bytes {

    private Bytes() {
    }

    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    /** Returns {@code data}, gunzipped if it starts with the gzip magic, refusing to inflate past {@code max}. */
    public static byte[] maybeGunzip(byte[] data, long max, String what) {
        if (!isGzip(data)) {
            return data;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data), 64 * 1024)) {
            return readCapped(in, max, what + " (gunzipped)");
        } catch (EOFException e) {
            throw new ImageFormatException(ImageFormatException.TRUNCATED,
                    what + ": gzip stream ends early (" + data.length + " compressed bytes)", e);
        } catch (ZipException e) {
            throw new ImageFormatException(ImageFormatException.CORRUPT, what + ": broken gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file, gunzipping if needed, up to {@code max} bytes after decompression. */
    public static byte[] readFile(Path path, long max, String what) {
        try {
            long size = Files.size(path);
            if (size > max) {
                throw ImageFormatException.tooLarge(what + " " + path + " is " + size + " bytes, over the limit of " + max);
            }
            return maybeGunzip(Files.readAllBytes(path), max, what + " " + path.getFileName());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public static byte[] readCapped(InputStream in, long max, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            out.write(chunk, 0, n);
            if (out.size() > max) {
                throw ImageFormatException.tooLarge(what + " is more than " + max + " bytes");
            }
        }
        return out.toByteArray();
    }
}
