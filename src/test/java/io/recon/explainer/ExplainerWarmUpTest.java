package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ExplainerBundle;
import io.recon.bundle.ModelBundle;

/**
 * The explainer role's warm-up runs the real explain path (encoding, transformer, the VAE's repair
 * gain, sentence, JSON) on synthetic alerts the bundled telemetry model accepts, and stops at its
 * count, at its time limit, or when the process shuts down.
 */
@Tag("plain-djl")
class ExplainerWarmUpTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void explainsSyntheticAlertsThroughTheRealPathAndStopsWhenTold() {
        try (ExplainerBundle bundle = ExplainerBundle.load(Path.of("models/telemetry-explainer"), Device.cpu(), MAPPER);
                ModelBundle vae = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), MAPPER)) {
            String model = bundle.manifest().explains().model();
            AlertExplainer explainer = new AlertExplainer(Map.of(model, bundle), Map.of(model, VaeCauses.of(vae)),
                    Map.of(), Clock.systemUTC());
            ExplainerWarmUp warmUp = new ExplainerWarmUp(explainer, Map.of(model, bundle.encoder()), MAPPER);

            // Every synthetic alert is encoded by the model's own encoder (an unknown category or a
            // value it rejects would throw) and explained; the one burst of 32 goes through DJL.
            ExplainerWarmUp.Done done = warmUp.run(120, Duration.ofMinutes(2), () -> false);
            assertTrue(done.alerts() >= 120 && done.alerts() < 120 + 32, "explained " + done.alerts());

            assertEquals(0, warmUp.run(1000, Duration.ofMinutes(2), () -> true).alerts(),
                    "a process shutting down does not warm up");
            ExplainerWarmUp.Done limited = warmUp.run(Integer.MAX_VALUE, Duration.ofMillis(300), () -> false);
            assertTrue(limited.took().compareTo(Duration.ofSeconds(10)) < 0 && limited.alerts() > 0,
                    "the time limit ends it: " + limited);
        }
    }
}
