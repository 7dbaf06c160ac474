package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.recon.data.DatasetSplit;

class AnomalyTaskTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryNormalRowAndAtMostTheShareOfAnomaliesTheSameOnesInAnyOrder() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            rows.add("r" + i + ",normal," + i);
        }
        for (int i = 0; i < 60; i++) {
            rows.add("a" + i + ",anomaly," + (1000 + i));
        }
        AnomalyTask task = AnomalyTask.of(table("t.csv", rows), 0.1, 42);
        assertEquals(180, task.normals());
        assertEquals(20, task.anomalies(), "180 normals allow 20 anomalies: 10% of 200");
        assertEquals(40, task.dropped());
        assertEquals(1 + 200, task.lines().size());
        assertEquals("id,label,x", task.lines().get(0));

        Collections.shuffle(rows, new java.util.Random(3));
        AnomalyTask shuffled = AnomalyTask.of(table("shuffled.csv", rows), 0.1, 42);
        assertEquals(sortedAnomalies(task), sortedAnomalies(shuffled), "the same anomalies, whatever the file order");
        AnomalyTask otherSeed = AnomalyTask.of(table("t.csv", rows), 0.1, 43);
        assertTrue(!sortedAnomalies(task).equals(sortedAnomalies(otherSeed)), "another seed, another draw");
    }

    @Test
    void validationTaskHoldsOnlyTheTestTasksTrainingNormalsAndTheAnomaliesItLeftOut() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            rows.add("r" + i + ",normal," + i);
        }
        for (int i = 0; i < 300; i++) {
            rows.add("a" + i + ",anomaly," + (1000 + i));
        }
        Path file = table("t.csv", rows);
        AnomalyTask test = AnomalyTask.of(file, 0.1, 42);
        AnomalyTask validation = AnomalyTask.validation(file, 0.1, 42);
        Set<String> testIds = ids(test);
        Set<String> validationIds = new HashSet<>();
        for (String line : validation.lines().subList(1, validation.lines().size())) {
            assertTrue(line.startsWith(AnomalyTask.VALIDATION_PREFIX), line);
            String id = line.substring(AnomalyTask.VALIDATION_PREFIX.length()).split(",", 2)[0];
            validationIds.add(id);
            if (line.contains(",normal,")) {
                assertEquals(DatasetSplit.Part.TRAIN, DatasetSplit.partOf(id, true), "a training normal: " + id);
            } else {
                assertTrue(!testIds.contains(id), "an anomaly the test task left out: " + id);
            }
        }
        for (String id : testIds) {
            if (id.startsWith("r") && DatasetSplit.partOf(id, true) != DatasetSplit.Part.TRAIN) {
                assertTrue(!validationIds.contains(id), "no test or calibration normal in validation: " + id);
            }
        }
        assertTrue(validation.normals() > 450 && validation.normals() < 630, "about 60% of 900: "
                + validation.normals());
        assertEquals(300 - test.anomalies(), validation.anomalies(), "every anomaly the test task left out");
        assertEquals(1 + validation.normals() + validation.anomalies(), validation.lines().size());
    }

    @Test
    void keepsEveryAnomalyWhenTheyAreAlreadyFew() throws Exception {
        AnomalyTask task = AnomalyTask.of(table("t.csv", List.of("a,normal,1", "b,normal,2", "c,normal,3",
                "d,normal,4", "e,normal,5", "f,normal,6", "g,normal,7", "h,normal,8", "i,normal,9", "j,anomaly,10")),
                0.1, 1);
        assertEquals(1, task.anomalies());
        assertEquals(0, task.dropped());
    }

    @Test
    void refusesATableWithoutTheIdAndLabelColumnsOrWithAnotherLabel() throws Exception {
        Path noLabel = dir.resolve("n.csv");
        Files.writeString(noLabel, "x,y\n1,2\n");
        assertThrows(IllegalArgumentException.class, () -> AnomalyTask.of(noLabel, 0.1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyTask.of(table("b.csv", List.of("a,normal,1", "b,odd,2")), 0.1, 1));
        assertTrue(e.getMessage().contains("'odd'"), e.getMessage());
    }

    private Path table(String name, List<String> rows) throws Exception {
        Path file = dir.resolve(name);
        List<String> lines = new ArrayList<>();
        lines.add("id,label,x");
        lines.addAll(rows);
        Files.write(file, lines);
        return file;
    }

    private static Set<String> ids(AnomalyTask task) {
        Set<String> ids = new HashSet<>();
        task.lines().subList(1, task.lines().size()).forEach(l -> ids.add(l.split(",", 2)[0]));
        return ids;
    }

    private static List<String> sortedAnomalies(AnomalyTask task) {
        return task.lines().stream().filter(l -> l.contains(",anomaly,")).sorted().toList();
    }
}
