package io.recon.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.recon.data.DatasetSplit;

/**
 * A labelled public table turned into an anomaly-detection task by one fixed rule: every normal
 * row, and of the anomalous rows only as many as make at most {@code maxShare} of the task, chosen
 * by the SHA-256 of a seed and the row id (the same rows on every machine, whatever the order of
 * the file). The table is a CSV whose first two columns are {@code id} and {@code label} (normal /
 * anomaly), as {@code tests/tabular/fetch-tables.sh} writes them.
 *
 * @param lines     the task's CSV lines, header first, rows in the file's order
 * @param normals   normal rows
 * @param anomalies anomalous rows kept
 * @param dropped   anomalous rows left out
 */
record AnomalyTask(List<String> lines, int normals, int anomalies, int dropped) {

    /** Prefix of every id in a validation task, so that the train command splits its rows afresh. */
    static final String VALIDATION_PREFIX = "validation-";

    /**
     * The task of the table in {@code file}.
     *
     * @throws IllegalArgumentException when the file does not start with the id and label columns,
     *                                  or a label is neither normal nor anomaly
     */
    static AnomalyTask of(Path file, double maxShare, long seed) {
        Rows rows = Rows.of(file, maxShare, seed);
        List<String> lines = new ArrayList<>();
        lines.add(rows.header());
        for (String line : rows.lines()) {
            String[] idLabel = line.split(",", 3);
            if (idLabel[1].equals("normal") || rows.kept().contains(idLabel[0])) {
                lines.add(line);
            }
        }
        return new AnomalyTask(List.copyOf(lines), rows.normals(), rows.kept().size(),
                rows.anomalous().size() - rows.kept().size());
    }

    /**
     * The validation task of the same table, for choosing settings without reading a test row: the
     * normal rows that {@link #of} trains on (the training part of {@link DatasetSplit}) and, as its
     * anomalies, every anomalous row {@link #of} leaves out (AUROC, the figure settings are chosen by,
     * does not depend on their share, and more of them make it steadier). Every id gets {@link
     * #VALIDATION_PREFIX}, so the train command splits these rows 60/20/20 afresh. A table whose
     * anomalies all went into the test task has none here.
     */
    static AnomalyTask validation(Path file, double maxShare, long seed) {
        Rows rows = Rows.of(file, maxShare, seed);
        int normals = 0;
        for (String line : rows.lines()) {
            String[] idLabel = line.split(",", 3);
            if (idLabel[1].equals("normal") && DatasetSplit.partOf(idLabel[0], true) == DatasetSplit.Part.TRAIN) {
                normals++;
            }
        }
        Set<String> chosen = new HashSet<>(rows.anomalous().subList(rows.kept().size(), rows.anomalous().size()));
        List<String> lines = new ArrayList<>();
        lines.add(rows.header());
        for (String line : rows.lines()) {
            String[] idLabel = line.split(",", 3);
            if (idLabel[1].equals("normal") && DatasetSplit.partOf(idLabel[0], true) == DatasetSplit.Part.TRAIN
                    || chosen.contains(idLabel[0])) {
                lines.add(VALIDATION_PREFIX + line);
            }
        }
        return new AnomalyTask(List.copyOf(lines), normals, chosen.size(), 0);
    }

    /**
     * A table's rows, checked, and its anomalous row ids in the order of SHA-256 of seed and id:
     * the first {@code kept} go into the test task.
     */
    private record Rows(String header, List<String> lines, int normals, List<String> anomalous, Set<String> kept) {

        static Rows of(Path file, double maxShare, long seed) {
            if (!(maxShare > 0 && maxShare < 1)) {
                throw new IllegalArgumentException("the anomalies' share must lie strictly between 0 and 1, got "
                        + maxShare);
            }
            List<String> all = read(file);
            if (all.isEmpty() || !all.get(0).startsWith("id,label,")) {
                throw new IllegalArgumentException(file + " must start with the columns id,label: run "
                        + "tests/tabular/fetch-tables.sh");
            }
            List<String[]> anomalous = new ArrayList<>();
            int normals = 0;
            for (String line : all.subList(1, all.size())) {
                String[] idLabel = line.split(",", 3);
                if (idLabel.length < 3) {
                    throw new IllegalArgumentException(file + ": a row without features: " + line);
                }
                switch (idLabel[1]) {
                    case "normal" -> normals++;
                    case "anomaly" -> anomalous.add(new String[] {hash(seed, idLabel[0]), idLabel[0]});
                    default -> throw new IllegalArgumentException(file + ": label '" + idLabel[1] + "' of row "
                            + idLabel[0] + " is neither normal nor anomaly");
                }
            }
            int keep = (int) Math.min(anomalous.size(), Math.floor(normals * maxShare / (1 - maxShare)));
            anomalous.sort(Comparator.comparing((String[] a) -> a[0]));
            List<String> ordered = anomalous.stream().map(a -> a[1]).toList();
            return new Rows(all.get(0), all.subList(1, all.size()), normals, ordered,
                    new HashSet<>(ordered.subList(0, keep)));
        }
    }

    /** Writes the task's CSV to {@code file}. */
    void write(Path file) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": run tests/tabular/fetch-tables.sh", e);
        }
    }

    private static String hash(long seed, String id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
