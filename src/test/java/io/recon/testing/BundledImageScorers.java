package io.recon.testing;

import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ImageModelBundle;
import io.recon.event.ImageEventDecoder;
import io.recon.scorer.ImageScorer;

/** A bundled image model's scorer on the CPU, built as the model registry builds it. */
public final class BundledImageScorers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BundledImageScorers() {
    }

    /**
     * The scorer of {@code models/<name>}: its decoder reads images through the model's window and
     * resizes them to the model's input as it decodes. Close its bundle when done.
     */
    public static ImageScorer load(String name) {
        ImageModelBundle b = ImageModelBundle.load(Path.of("models", name), Device.cpu(), MAPPER);
        return new ImageScorer(b, new ImageEventDecoder(MAPPER, null, ImageEventDecoder.Limits.defaults(),
                b.manifest().window(), b.manifest().width(), b.manifest().height()), Clock.systemUTC());
    }
}
