package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The CT explanation benchmark end to end on a tiny budget (two epochs, one pose per slice): every
 * method is judged on the validation split, with figures in range. Quality is measured by the full
 * run, not here. Also: {@link PixelAgreement} on maps whose answers are known.
 */
@Tag("plain-djl")
@Tag("training")
class CtExplainBenchmarkCommandTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunJudgesEveryMethodOnTheValidationSplit() throws Exception {
        Path volume = CtSliceBenchmarkCommand.DEFAULT_VOLUME;
        Assumptions.assumeTrue(Files.isRegularFile(volume), volume + " not found: install invesalius-examples");
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path json = new CtExplainBenchmarkCommand(mapper, new PrintStream(log, true)).run(new String[] {
            "--epochs", "2", "--variants", "1", "--copies", "1", "--out", dir.toString()});
        assertTrue(Files.exists(dir.resolve("explanations-ct-validation.md")), log.toString());
        JsonNode report = mapper.readTree(json.toFile());
        assertEquals("validation", report.get("split").asText());
        assertTrue(report.get("lesionedImages").asInt() >= 5, report.toString());
        for (String method : ExplanationMaps.METHODS) {
            JsonNode all = report.get("results").get(method).get("all");
            for (String metric : List.of("auroc", "auprc", "hit")) {
                double v = all.get(metric).asDouble();
                assertTrue(v >= 0 && v <= 1, method + " " + metric + " " + v);
            }
        }
    }

    @Test
    void aMapThatIsTheMaskAgreesPerfectlyAndAFlatOneDoesNot() {
        List<boolean[]> masks = List.of(new boolean[] {false, true, true, false});
        PixelAgreement perfect = PixelAgreement.of(new float[][] {{0, 1, 1, 0}}, masks, i -> true);
        assertEquals(1.0, perfect.auroc(), 1e-9);
        assertEquals(1.0, perfect.auprc(), 1e-9);
        assertEquals(1.0, perfect.hit(), 1e-9);
        PixelAgreement wrong = PixelAgreement.of(new float[][] {{1, 0, 0, 0.5f}}, masks, i -> true);
        assertEquals(0.0, wrong.auroc(), 1e-9);
        assertEquals(0.0, wrong.hit(), 1e-9);
    }
}
