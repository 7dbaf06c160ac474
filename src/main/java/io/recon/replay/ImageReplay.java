package io.recon.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.imaging.ImageFormatException;
import io.recon.imaging.codec.DicomImageDecoder;

/**
 * The image side of the replay role: a folder of sample images ({@code *.png}, {@code *.dcm};
 * the committed one is {@code tests/data/imaging/replay}) turned into image events in the wire
 * format ({@code id, ts, source, modality, encoding, data}), in a fixed interleaved order.
 *
 * <p>A PNG goes out with modality {@code photo} (taken by the image model without a modality, the
 * Fashion-MNIST one); a DICOM file with the Modality of its own header ({@code CT} for the sample's
 * head-CT slices, which routes it to the head-CT model), {@code OT} when it names none.
 */
public final class ImageReplay {

    /** Modality of PNG samples. */
    public static final String PNG_MODALITY = "photo";

    /**
     * One sample image.
     *
     * @param name     file name without extension (the event id's stem)
     * @param modality the envelope's modality
     * @param encoding {@code png} or {@code dicom}
     * @param data     the file's bytes
     */
    public record Sample(String name, String modality, String encoding, byte[] data) {
    }

    private final ObjectMapper mapper;
    private final List<Sample> samples;
    private final String source;

    /**
     * @param mapper  JSON
     * @param samples the images, in replay order
     * @param source  the events' {@code source}
     */
    public ImageReplay(ObjectMapper mapper, List<Sample> samples, String source) {
        this.mapper = mapper;
        this.samples = List.copyOf(samples);
        this.source = source;
    }

    /**
     * The folder's images in replay order: PNG and DICOM files, each group shuffled with
     * {@code seed}, then merged so the DICOM files are spread evenly among the PNGs.
     *
     * @return the samples; empty when the folder is missing or holds no image
     * @throws UncheckedIOException     if a file cannot be read
     * @throws IllegalArgumentException if a DICOM file cannot be decoded
     */
    public static List<Sample> load(Path dir, long seed) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Sample> png = new ArrayList<>();
        List<Sample> dicom = new ArrayList<>();
        DicomImageDecoder decoder = new DicomImageDecoder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String file = p.getFileName().toString();
                String lower = file.toLowerCase(Locale.ROOT);
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (lower.endsWith(".png")) {
                    png.add(new Sample(stem(file), PNG_MODALITY, "png", Files.readAllBytes(p)));
                } else if (lower.endsWith(".dcm")) {
                    byte[] data = Files.readAllBytes(p);
                    String modality;
                    try {
                        modality = decoder.decode(data).modality();
                    } catch (ImageFormatException e) {
                        throw new IllegalArgumentException(p + " is not a DICOM image the scorer can read: "
                                + e.getMessage(), e);
                    }
                    dicom.add(new Sample(stem(file), modality.isBlank() ? "OT" : modality, "dicom", data));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the image samples in " + dir, e);
        }
        Random random = new Random(seed);
        Collections.shuffle(png, random);
        Collections.shuffle(dicom, random);
        return spread(png, dicom);
    }

    /** {@code many} in order with {@code few} spread evenly among them, the first of {@code few} second. */
    static List<Sample> spread(List<Sample> many, List<Sample> few) {
        if (many.size() < few.size()) {
            return spread(few, many);
        }
        List<Sample> out = new ArrayList<>(many.size() + few.size());
        int next = 0;
        for (int i = 0; i < many.size(); i++) {
            out.add(many.get(i));
            // After many[i], the few that fall due by then (few[k] is due after many[floor(k * n / m)]).
            while (next < few.size() && (long) next * many.size() / few.size() <= i) {
                out.add(few.get(next++));
            }
        }
        return out;
    }

    private static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** Number of samples. */
    public int size() {
        return samples.size();
    }

    /** The samples, in replay order. */
    public List<Sample> samples() {
        return samples;
    }

    /** The id of sample {@code i} on pass {@code pass} (1-based); later passes get a suffix. */
    public String id(int i, int pass) {
        String base = "img-" + samples.get(i).name();
        return pass <= 1 ? base : base + "#" + pass;
    }

    /** The event JSON of sample {@code i}, stamped with {@code ts}. */
    public String event(int i, int pass, long ts) {
        Sample s = samples.get(i);
        ObjectNode event = mapper.createObjectNode();
        event.put("id", id(i, pass));
        event.put("ts", ts);
        event.put("source", source);
        event.put("modality", s.modality());
        event.put("encoding", s.encoding());
        event.put("data", Base64.getEncoder().encodeToString(s.data()));
        return event.toString();
    }
}
