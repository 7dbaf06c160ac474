package io.recon.cli.args;

import io.recon.cli.bench.CtSliceBenchmarkCommand;
import io.recon.cli.EvaluateCommand;
import io.recon.cli.bench.FashionMnistBenchmarkCommand;
import io.recon.cli.SealBundleCommand;
import io.recon.cli.SyntheticEvaluateCommand;
import io.recon.cli.TrainGeneratorCommand;
import io.recon.cli.TrainCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandArgsTest {

    private static final CommandArgs.Declarations DECLARED = CommandArgs.Declarations.command("demo", "[options]",
            "a demo command").required("data", "FILE", "the table").option("epochs", "N", "60", "passes")
            .option("out", "DIR", null, "output (default models/NAME)").option("ignore", "C1,C2", null, "columns");

    @Test
    void valuesDefaultsAndLists() {
        CommandArgs a = CommandArgs.parse(new String[] {"--data", "x.csv", "--ignore=ts, id"}, DECLARED);
        assertEquals("x.csv", a.required("data"));
        assertEquals(60, a.intValue("epochs"));
        assertFalse(a.has("epochs"));
        assertEquals("models/n", a.get("out", "models/n"));
        assertEquals(List.of("ts", "id"), a.list("ignore"));
        assertEquals(7, CommandArgs.parse(new String[] {"--data", "x", "--epochs", "7"}, DECLARED).intValue("epochs"));
        assertEquals("@flows.csv", CommandArgs.parse(new String[] {"--data", "@flows.csv"}, DECLARED).required("data"));
    }

    @Test
    void typosAndMissingValuesAreErrorsNotDefaults() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CommandArgs.parse(new String[] {"--data", "x", "--epoch", "5"}, DECLARED)).getMessage()
                .contains("--epoch"));
        assertThrows(IllegalArgumentException.class, () -> CommandArgs.parse(new String[] {"--epochs", "5"}, DECLARED));
        assertThrows(IllegalArgumentException.class, () -> CommandArgs.parse(new String[] {"--data"}, DECLARED));
    }

    @Test
    void theUsageComesFromTheDeclarations() {
        String usage = DECLARED.usage();
        assertTrue(usage.contains("demo [options]"), usage);
        assertTrue(usage.contains("--epochs=N") && usage.contains("(default 60)"), usage);
        assertTrue(usage.indexOf("--data") < usage.indexOf("--epochs"), "declaration order: " + usage);
        // Every real command declares every option it reads.
        for (String u : List.of(TrainCommand.OPTIONS.usage(), EvaluateCommand.OPTIONS.usage(), FashionMnistBenchmarkCommand.OPTIONS.usage(),
                CtSliceBenchmarkCommand.OPTIONS.usage(), SealBundleCommand.OPTIONS.usage(),
                SyntheticEvaluateCommand.OPTIONS.usage(), TrainGeneratorCommand.OPTIONS.usage())) {
            assertTrue(u.startsWith("Usage: "), u);
        }
    }
}
