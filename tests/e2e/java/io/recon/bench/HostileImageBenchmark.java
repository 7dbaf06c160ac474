package io.recon.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.event.InvalidEventException;
import io.recon.event.ImageEvent;
import io.recon.event.ImageEventDecoder;
import io.recon.testing.HostileImages;

/**
 * What hostile image events cost the scorer's decoder: each case decoded as the service decodes it
 * (default limits, resized to a 64x64 model input right after decoding), with its outcome, time,
 * bytes the thread allocated and the heap's peak growth. Writes
 * {@code tests/bench/results/hostile-images.json}; run with {@code bash tests/bench/hostile-images.sh}.
 */
public final class HostileImageBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MODEL_SIDE = 64;

    private record Result(String name, long payloadBytes, String outcome, double seconds, long allocatedBytes,
            long peakHeapGrowthBytes) {
    }

    private HostileImageBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        ImageEventDecoder decoder = new ImageEventDecoder(MAPPER, null, ImageEventDecoder.Limits.defaults(), null,
                MODEL_SIDE, MODEL_SIDE);
        List<Result> results = new ArrayList<>();
        results.add(one(decoder, "PNG 1 x 16,777,216 (at the pixel limit)", () -> event("png", png(1, 1 << 24))));
        results.add(one(decoder, "PNG 16,777,216 x 1", () -> event("png", png(1 << 24, 1))));
        results.add(one(decoder, "PNG 4096 x 4096 gradient", () -> event("png", png(4096, 4096))));
        results.add(one(decoder, "PNG 4097 x 4096 (over the pixel limit)", () -> event("png", png(4097, 4096))));
        results.add(one(decoder, "NIfTI declaring a 16384 x 16383 slice, gzipped",
                () -> event("nifti", niftiHeaderOnly(16384, 16383))));
        results.add(one(decoder, "DICOM, deflate bomb inflating to 250 MB",
                () -> event("dicom", HostileImages.deflatedDicomBomb(250 << 20))));
        byte[] large = event("png", png(2048, 2048));
        results.add(batch(decoder, "batch of 32 PNG 2048 x 2048 (decoded one after another)", large, 32));

        ArrayNode out = MAPPER.createArrayNode();
        System.out.printf(Locale.ROOT, "%-58s %10s  %-22s %8s %12s %12s%n", "case", "payload", "outcome", "seconds",
                "allocated", "peak heap +");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-58s %10s  %-22s %8.2f %12s %12s%n", r.name(), mb(r.payloadBytes()),
                    r.outcome(), r.seconds(), mb(r.allocatedBytes()), mb(r.peakHeapGrowthBytes()));
            out.add(MAPPER.valueToTree(r));
        }
        ObjectNode report = MAPPER.createObjectNode();
        report.put("date", Instant.now().toString());
        report.put("command", "bash tests/bench/hostile-images.sh");
        report.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + mb(Runtime.getRuntime().maxMemory()));
        report.put("modelInput", MODEL_SIDE + "x" + MODEL_SIDE);
        report.set("cases", out);
        Path file = Path.of("tests/bench/results/hostile-images.json");
        Files.createDirectories(file.getParent());
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
        System.out.println("written to " + file);
    }

    private static Result one(ImageEventDecoder decoder, String name, Supplier<byte[]> payload) {
        byte[] bytes = payload.get();
        return measure(name, bytes.length, () -> outcome(decoder, bytes));
    }

    private static Result batch(ImageEventDecoder decoder, String name, byte[] payload, int count) {
        return measure(name, (long) payload.length * count, () -> {
            // As DecodedBatch holds a batch: every decoded event kept until the batch is scored.
            List<ImageEvent> decoded = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                decoded.add(decoder.decode(payload));
            }
            return decoded.size() + " decoded at " + decoded.get(0).image().width() + "x"
                    + decoded.get(0).image().height();
        });
    }

    private static String outcome(ImageEventDecoder decoder, byte[] payload) {
        try {
            ImageEvent e = decoder.decode(payload);
            return "decoded at " + e.image().width() + "x" + e.image().height();
        } catch (InvalidEventException e) {
            return e.reason();
        }
    }

    private static Result measure(String name, long payloadBytes, Supplier<String> work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long usedBefore = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        String outcome = work.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Result(name, payloadBytes, outcome, seconds, allocated, Math.max(0, peak - usedBefore));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static byte[] event(String encoding, byte[] data) {
        ObjectNode e = MAPPER.createObjectNode().put("id", "hostile").put("ts", 1L).put("source", "bench")
                .put("encoding", encoding).put("data", Base64.getEncoder().encodeToString(data));
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An 8-bit gray PNG with a diagonal gradient (compresses well, as a bomb would). */
    private static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] row = new byte[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = (byte) ((x + y) >> 4);
            }
            image.getRaster().setDataElements(0, y, width, 1, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzipped NIfTI-1 header declaring a width x height x 1 uint8 volume, with 1 MB of its data. */
    private static byte[] niftiHeaderOnly(int width, int height) {
        ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 348);
        h.putShort(40, (short) 3).putShort(42, (short) width).putShort(44, (short) height).putShort(46, (short) 1);
        h.putShort(70, (short) 2).putShort(72, (short) 8); // datatype uint8, bitpix 8
        h.putFloat(76, 1f).putFloat(80, 1f).putFloat(84, 1f).putFloat(88, 1f); // pixdim
        h.putFloat(108, 352f); // vox_offset
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(h.array());
            gz.write(new byte[1 << 20]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
