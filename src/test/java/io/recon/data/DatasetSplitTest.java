package io.recon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DatasetSplitTest {

    @Test
    void normalRowsSplitSixtyTwentyTwenty() {
        Map<DatasetSplit.Part, Integer> counts = new EnumMap<>(DatasetSplit.Part.class);
        for (int i = 0; i < 20_000; i++) {
            counts.merge(DatasetSplit.partOf("flow-" + i, true), 1, Integer::sum);
        }
        assertEquals(0.6, counts.get(DatasetSplit.Part.TRAIN) / 20_000.0, 0.02);
        assertEquals(0.2, counts.get(DatasetSplit.Part.CALIBRATION) / 20_000.0, 0.02);
        assertEquals(0.2, counts.get(DatasetSplit.Part.TEST) / 20_000.0, 0.02);
    }

    @Test
    void anomaliesAreAlwaysTestAndTheSplitIsStable() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(DatasetSplit.Part.TEST, DatasetSplit.partOf("a-" + i, false));
        }
        // Pinned: a change here silently changes every bundle's training set.
        assertEquals(DatasetSplit.bucket("main-curl-http-1"), DatasetSplit.bucket("main-curl-http-1"));
        assertTrue(DatasetSplit.bucket("x") >= 0 && DatasetSplit.bucket("x") < 100);
    }
}
