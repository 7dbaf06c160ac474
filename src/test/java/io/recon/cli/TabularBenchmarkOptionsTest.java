package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code tabular-benchmark --vae} turns NAME=VALUE pairs into train options and refuses what it sets itself. */
class TabularBenchmarkOptionsTest {

    @Test
    void pairsBecomeTrainOptionsInOrder() {
        assertEquals(List.of("--learning-rate", "0.002", "--hidden", "256,128", "--seed", "43"),
                TabularBenchmarkCommand.vaeOptions(" learning-rate=0.002  hidden=256,128 seed=43 "));
        assertEquals(List.of(), TabularBenchmarkCommand.vaeOptions(""));
    }

    @Test
    void refusesMalformedPairsAndSettingsTheBenchmarkOwns() {
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> TabularBenchmarkCommand.vaeOptions("latent"));
        assertTrue(bare.getMessage().contains("NAME=VALUE"), bare.getMessage());
        IllegalArgumentException owned = assertThrows(IllegalArgumentException.class,
                () -> TabularBenchmarkCommand.vaeOptions("latent=4 epochs=10"));
        assertTrue(owned.getMessage().contains("'epochs'"), owned.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TabularBenchmarkCommand.vaeOptions("data=x.csv"));
    }
}
