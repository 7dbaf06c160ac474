package io.recon.fuzz;

import java.util.Arrays;

import org.junit.jupiter.api.Tag;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.event.InvalidEventException;
import io.recon.event.TelemetryEventDecoder;
import io.recon.imaging.codec.DicomImageDecoder;
import io.recon.event.ImageEventDecoder;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.codec.NiftiVolumeReader;
import io.recon.imaging.codec.PngImageDecoder;

/**
 * Coverage-guided fuzzing (Jazzer) of every decoder that reads bytes a sender controls: telemetry
 * events, image event envelopes, and the PNG, DICOM and NIfTI decoders behind them. The first byte
 * of an input picks the decoder, the rest is its payload; the seed inputs are real events and the
 * real image files of the test resources (DecoderFuzzTestInputs/: three flows of
 * tests/data/telemetry/flows.csv.gz as events, copies of pydicom and nibabel test files from
 * src/test/resources/imaging (see its README), the first Fashion-MNIST test image as a PNG, and two
 * image event envelopes). A decoder may decode or reject
 * with its specific exception; any other exception, an error or a hang is a finding.
 *
 * <p>The default test execution runs the seeds and every saved finding as regression tests; the
 * fuzz-tests execution of {@code mvn verify} fuzzes for {@code maxDuration} (JAZZER_FUZZ=1; raise it
 * for a longer campaign). A crash Jazzer finds is written next to the seeds: commit it with the fix,
 * and it stays a regression test.
 */
@Tag("fuzz")
class DecoderFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Limits small enough that the fuzzer spends its time on parsing, not on allocating.
    private static final long MAX_PIXELS = 512L * 512;
    private static final long MAX_INFLATED = 8L * 1024 * 1024;
    private static final TelemetryEventDecoder TELEMETRY = new TelemetryEventDecoder(MAPPER);
    private static final ImageEventDecoder IMAGE_EVENTS = new ImageEventDecoder(MAPPER, null,
            new ImageEventDecoder.Limits(1024 * 1024, 1024 * 1024, MAX_PIXELS, MAX_INFLATED));
    private static final PngImageDecoder PNG = new PngImageDecoder(MAX_PIXELS);
    private static final DicomImageDecoder DICOM = new DicomImageDecoder(MAX_PIXELS, MAX_INFLATED);
    private static final NiftiVolumeReader NIFTI = new NiftiVolumeReader(MAX_INFLATED, MAX_PIXELS);

    @FuzzTest(maxDuration = "30s")
    void everyDecoderDecodesOrRejectsWithAReason(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] payload = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (Math.floorMod(input[0], 5)) {
                case 0 -> TELEMETRY.decode(payload);
                case 1 -> IMAGE_EVENTS.decode(payload);
                case 2 -> PNG.decode(payload);
                case 3 -> DICOM.decode(payload);
                default -> NIFTI.read(payload);
            }
        } catch (InvalidEventException | ImageFormatException rejected) {
            // a specific rejection is the right answer to bad input
        }
    }
}
