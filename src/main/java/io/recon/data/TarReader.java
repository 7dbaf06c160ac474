package io.recon.data;

import io.recon.imaging.ImageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming tar reader: 512-byte headers (POSIX ustar, old GNU), octal or base-256 sizes,
 * GNU long names ('L') and pax 'path' records; checksums verified. Entries are read in order, each
 * once; only what the InVesalius reader needs.
 */
final class TarReader {

    private static final int BLOCK = 512;

    /** One archive member. */
    record Entry(String name, long size, char type) {

        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        /** The name without directories (InVesalius nests members in a temporary folder). */
        String baseName() {
            int slash = name.lastIndexOf('/');
            return slash < 0 ? name : name.substring(slash + 1);
        }
    }

    private final InputStream in;
    private long offset;
    private long remaining;   // unread bytes of the current entry's data
    private long padding;     // bytes after the data up to the next block boundary

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] header = new byte[BLOCK];
            int n = readUpTo(header);
            if (n == 0) {
                return null; // archive without end-of-archive blocks: tolerated
            }
            if (n < BLOCK) {
                throw ImageFormatException.truncated("tar archive ends inside a header at offset " + offset);
            }
            long headerOffset = offset;
            offset += BLOCK;
            if (allZero(header)) {
                return null;
            }
            verifyChecksum(header, headerOffset);
            long size = number(header, 124, 12, headerOffset);
            char type = (char) header[156];
            String name = longName != null ? longName : name(header);
            if (type == 'L' || type == 'x' || type == 'g') {
                byte[] meta = readData(size, 1 << 20);
                if (type == 'L') {
                    longName = cString(meta, 0, meta.length);
                } else if (type == 'x') {
                    String path = paxPath(meta);
                    longName = path != null ? path : longName;
                }
                continue;
            }
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return new Entry(name, size, type);
        }
    }

    /** Reads the current entry's data completely; it must be at most {@code max} bytes. */
    byte[] readData(long size, long max) throws IOException {
        if (size > max || size > Integer.MAX_VALUE - 8) {
            throw ImageFormatException.tooLarge("tar member of " + size + " bytes is over the limit of " + max);
        }
        byte[] data = new byte[(int) size];
        if (readUpTo(data) < size) {
            throw ImageFormatException.truncated("tar archive ends inside a member's data (needed " + size
                    + " bytes from offset " + offset + ")");
        }
        offset += size;
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        skip(pad);
        remaining = 0;
        padding = 0;
        return data;
    }

    /** Reads the data of the entry last returned by {@link #next()}. */
    byte[] readCurrent(long max) throws IOException {
        return readData(remaining, max);
    }

    private void skip(long n) throws IOException {
        long left = n;
        byte[] sink = new byte[8192];
        while (left > 0) {
            int r = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (r < 0) {
                throw ImageFormatException.truncated("tar archive ends inside a member's data at offset " + offset);
            }
            left -= r;
            offset += r;
        }
    }

    private int readUpTo(byte[] buf) throws IOException {
        int total = 0;
        while (total < buf.length) {
            int r = in.read(buf, total, buf.length - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        // POSIX ustar ("ustar\0" + "00") puts a directory prefix at 345; old GNU uses that area for times.
        boolean posix = h[257] == 'u' && h[262] == 0 && h[263] == '0' && h[264] == '0';
        String prefix = posix ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static void verifyChecksum(byte[] h, long at) {
        long stored = number(h, 148, 8, at);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != stored) {
            throw ImageFormatException.corrupt("tar header checksum mismatch at offset " + at + " (stored " + stored
                    + ", computed " + sum + "): not a tar archive or corrupted");
        }
    }

    /** Octal (NUL/space terminated) or, with the high bit of the first byte set, big-endian base-256. */
    private static long number(byte[] h, int from, int len, long at) {
        if ((h[from] & 0x80) != 0) {
            long v = h[from] & 0x7f;
            for (int i = from + 1; i < from + len; i++) {
                v = v << 8 | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, from, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw ImageFormatException.corrupt("tar header at offset " + at + " has a non-octal number '" + s + "'");
        }
    }

    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 6);
            }
        }
        return null;
    }

    private static String cString(byte[] b, int from, int len) {
        int end = from;
        while (end < from + len && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
