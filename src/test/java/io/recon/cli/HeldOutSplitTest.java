package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.recon.data.DatasetSplit;

/** Validation rows are the calibration part's, and a validation report never takes the test report's name. */
class HeldOutSplitTest {

    @Test
    void validationIsTheCalibrationPartAndWritesItsOwnReport() {
        assertEquals(DatasetSplit.Part.CALIBRATION, HeldOutSplit.parse("validation").part());
        assertEquals(DatasetSplit.Part.TEST, HeldOutSplit.parse("test").part());
        assertEquals("explanations-telemetry", HeldOutSplit.TEST.defaultReport(), "the committed test report's name");
        assertNotEquals(HeldOutSplit.TEST.defaultReport(), HeldOutSplit.VALIDATION.defaultReport());
        assertEquals("validation", ExplanationBenchmarkCommand.OPTIONS.spec().findOption("--split").defaultValue());
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.parse("train"));
    }
}
