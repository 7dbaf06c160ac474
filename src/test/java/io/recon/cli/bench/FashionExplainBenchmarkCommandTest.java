package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FashionMnistClass;

/**
 * The Fashion-MNIST explanation benchmark end to end on a tiny budget, and the pasted patch it
 * plants: the truth is what the paste changed, and a paste that changes nothing is refused.
 */
@Tag("plain-djl")
class FashionExplainBenchmarkCommandTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunJudgesEveryMethod() throws Exception {
        Path data = FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR;
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve(FashionMnistClass.TRAIN_IMAGES)),
                "install dataset-fashion-mnist");
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path json = new FashionExplainBenchmarkCommand(mapper, new PrintStream(log, true)).run(new String[] {
            "--images", "20", "--epochs", "1", "--out", dir.toString()});
        JsonNode report = mapper.readTree(json.toFile());
        assertEquals(20, report.get("pastedImages").asInt(), log.toString());
        for (String method : ExplanationMaps.METHODS) {
            double auprc = report.get("results").get(method).get("all").get("auprc").asDouble();
            assertTrue(auprc >= 0 && auprc <= 1, method + " " + auprc);
        }
        assertTrue(Files.exists(dir.resolve("explanations-fashion-validation.md")));
    }

    @Test
    void thePasteMarksWhatItChangedAndNothingElse() {
        float[] normal = new float[28 * 28];
        float[] donor = new float[28 * 28];
        Arrays.fill(donor, 1f);
        PastedPatch p = PastedPatch.into(normal, List.of(donor), new Random(1));
        assertNotNull(p);
        int changed = 0;
        for (int i = 0; i < normal.length; i++) {
            assertEquals(p.mask()[i], p.image()[i] != normal[i], "pixel " + i);
            changed += p.mask()[i] ? 1 : 0;
        }
        assertEquals(p.side() * p.side(), changed);
        assertNull(PastedPatch.into(normal, List.of(normal.clone()), new Random(1)), "an invisible paste is refused");
    }
}
