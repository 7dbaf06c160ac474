package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FeatureRows;
import io.recon.nn.SyntheticTable;

/**
 * A diffusion model trained briefly on {@link SyntheticTable} (two classes of 300 rows): its rows
 * fit the schema, its class-conditional statistics move the way the real ones do, a seed fixes its
 * rows, and a saved and reloaded model gives the same rows. One model, trained once, for all.
 */
@Tag("plain-djl")
@Tag("training")
class TabularDiffusionTest {

    private static final int EPOCHS = 100;
    private static final int BATCH = 60;

    private static SyntheticTable table;
    private static TabularDiffusion model;
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void train() {
        table = SyntheticTable.of(300, 1);
        TabularDiffusion.Settings settings = TabularDiffusion.Settings.defaults().withEpochs(EPOCHS)
                .withBatchSize(BATCH).withSeed(42).withProgressEvery(25).withSampling(50, 0);
        model = TabularDiffusion.train(table.rows, table.classOfRow, settings, LOG::add);
    }

    @AfterAll
    static void release() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void itNamesItselfAndItsClasses() {
        assertEquals("tabddpm", model.kind());
        assertEquals(List.of("a", "b"), model.classes());
        assertThrows(IllegalArgumentException.class, () -> model.sample("c", 1, 1));
        assertEquals(0, model.sample("a", 0, 1).size());
    }

    @Test
    void progressLinesReportLossAndEta() {
        String log = String.join("\n", LOG);
        assertTrue(LOG.get(0).startsWith("TabDDPM: 600 rows of 4 columns (encoded width 6), 2 classes"), log);
        assertTrue(LOG.stream().anyMatch(l -> l.contains("epoch   1/" + EPOCHS) && l.contains("MSE")
                && l.contains("ETA")), log);
        TabularDiffusion.TrainingReport report = model.training().orElseThrow();
        assertEquals(0, report.skippedSteps().skipped(), log);
        assertEquals(EPOCHS * (600 / BATCH), report.skippedSteps().steps());
        // Predicting noise no better than zero scores 1; the network must have learnt something.
        assertTrue(report.finalLoss() < 0.6, log);
    }

    @Test
    void samplesFitTheSchema() {
        for (String cls : model.classes()) {
            for (double eta : new double[] {0, 1}) {
                FeatureRows rows = model.sample(cls, 300, 3, 20, eta);
                assertEquals(table.rows.names(), rows.names());
                assertTrue(Arrays.equals(table.rows.numeric(), rows.numeric()));
                assertEquals(300, rows.size());
                double[] real = table.rows.numbers(0);
                double min = Arrays.stream(real).min().orElseThrow();
                double max = Arrays.stream(real).max().orElseThrow();
                for (double v : rows.numbers(0)) {
                    assertTrue(Double.isFinite(v) && v >= min && v <= max, "bimodal " + v);
                }
                double maxCount = Arrays.stream(table.rows.numbers(1)).max().orElseThrow();
                for (String cell : rows.cells(1)) {
                    assertTrue(cell.matches("\\d+"), "a count cell is a whole number: " + cell);
                    assertTrue(Long.parseLong(cell) <= maxCount, "count " + cell);
                }
                assertTrue(Set.of("tcp", "udp", "icmp").containsAll(Arrays.asList(rows.cells(2))));
                assertTrue(Arrays.stream(rows.cells(3)).allMatch("7"::equals));
            }
        }
    }

    @Test
    void classConditionalStatisticsMoveAsTheRealOnesDo() {
        FeatureRows a = model.sample("a", 1000, 5);
        FeatureRows b = model.sample("b", 1000, 5);
        String seen = String.format(Locale.ROOT, "bimodal means %.2f / %.2f, count means %.2f / %.2f, tcp %.2f / "
                + "%.2f; log:%n%s", mean(a, 0), mean(b, 0), mean(a, 1), mean(b, 1), share(a, "tcp"), share(b, "tcp"),
                String.join("\n", LOG));
        // Real: bimodal means 2 and 8, counts 0.3 and 3, tcp 0.8 and 0.2.
        assertTrue(mean(b, 0) - mean(a, 0) > 3, seen);
        assertTrue(mean(b, 1) - mean(a, 1) > 1.2, seen);
        assertTrue(share(a, "tcp") - share(b, "tcp") > 0.3, seen);
        for (FeatureRows rows : List.of(a, b)) {
            long high = Arrays.stream(rows.numbers(0)).filter(v -> v > 5).count();
            assertTrue(high > 20 && high < 980, "both modes in each class: high-mode rows " + high + "; " + seen);
            long valley = Arrays.stream(rows.numbers(0)).filter(v -> v > 3.5 && v < 6.5).count();
            assertTrue(valley < 100, "few rows between the modes: " + valley + "; " + seen);
        }
    }

    @Test
    void aSeedFixesTheRows() {
        assertRowsEqual(model.sample("b", 300, 8), model.sample("b", 300, 8));
        assertNotEquals(Arrays.asList(model.sample("b", 5, 8).rows().get(0)),
                Arrays.asList(model.sample("b", 5, 9).rows().get(0)));
        // A seed's first rows do not depend on how many are asked for, up to float rounding.
        FeatureRows few = model.sample("a", 10, 8);
        FeatureRows many = model.sample("a", 1500, 8);
        for (int r = 0; r < few.size(); r++) {
            assertEquals(Double.parseDouble(few.rows().get(r)[0]), Double.parseDouble(many.rows().get(r)[0]), 1e-3,
                    "row " + r);
            assertEquals(Arrays.asList(few.rows().get(r)).subList(2, 4),
                    Arrays.asList(many.rows().get(r)).subList(2, 4), "row " + r);
        }
    }

    @Test
    void aSavedAndLoadedModelGivesTheSameRows(@TempDir Path dir) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        model.save(dir, mapper);
        assertTrue(Files.exists(dir.resolve("tabddpm-0000.params")));
        JsonNode layout = mapper.readTree(dir.resolve(TabularDiffusion.LAYOUT_FILE).toFile());
        assertEquals("tabddpm", layout.get("kind").asText());
        assertEquals(List.of("tcp", "udp", "icmp").size(), layout.get("codec").get("categories").get(2).size());
        try (TabularDiffusion loaded = TabularDiffusion.load(dir, mapper)) {
            assertEquals(model.classes(), loaded.classes());
            assertEquals(model.settings(), loaded.settings());
            assertEquals(model.training(), loaded.training());
            for (String cls : model.classes()) {
                assertRowsEqual(model.sample(cls, 200, 4), loaded.sample(cls, 200, 4));
            }
            loaded.save(dir.resolve("again"), mapper); // a loaded model saves again
            assertTrue(Files.exists(dir.resolve("again").resolve("tabddpm-0000.params")));
        }
    }

    private static void assertRowsEqual(FeatureRows expected, FeatureRows actual) {
        assertEquals(expected.size(), actual.size());
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(Arrays.asList(expected.rows().get(r)), Arrays.asList(actual.rows().get(r)), "row " + r);
        }
    }

    private static double mean(FeatureRows rows, int column) {
        return Arrays.stream(rows.numbers(column)).average().orElseThrow();
    }

    private static double share(FeatureRows rows, String category) {
        return Arrays.stream(rows.cells(2)).filter(category::equals).count() / (double) rows.size();
    }
}
