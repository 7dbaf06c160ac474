package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FeatureRows;
import io.recon.nn.TabularGenerator;

/**
 * A generator bundle: the model as its kind saves it (parameters and layout file) and
 * {@code manifest.json}, written last with the SHA-256 digests of the files before it, as model
 * bundles carry them ({@link BundleDigests}). Loading checks the digests, the kind and that the
 * table's features are the ones the model was trained on.
 */
public final class GeneratorBundle {

    /** The manifest inside a bundle. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT = 1;

    private GeneratorBundle() {
    }

    /**
     * {@code manifest.json} of a generator bundle.
     *
     * @param kind            the generator kind ("ctgan")
     * @param format          manifest format version ({@link #FORMAT})
     * @param version         creation time and the first 8 hex digits of the data's SHA-256
     * @param createdAt       creation time, ISO-8601
     * @param schema          the features, in the order the model reads and writes them
     * @param groupColumn     the column whose value is a row's class
     * @param classes         the classes, in the model's order, with their training row counts
     * @param training        the rows it learned from
     * @param settings        the kind's training settings
     * @param trainingSummary how training went
     * @param modelFile       the kind's layout file
     * @param rebuild         the command line that rebuilds the bundle
     * @param files           SHA-256 of the parameter files and the layout file
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String kind, int format, String version, String createdAt, List<Column> schema,
            String groupColumn, List<ClassRows> classes, Training training, JsonNode settings,
            JsonNode trainingSummary, String modelFile, String rebuild, Map<String, String> files) {
    }

    /**
     * A feature column.
     *
     * @param name       column name
     * @param type       "numeric" or "categorical"
     * @param categories a categorical column's values seen in training, sorted
     * @param min        a numeric column's smallest training value
     * @param max        its largest
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Column(String name, String type, List<String> categories, Double min, Double max) {

        public static final String NUMERIC = "numeric";
        public static final String CATEGORICAL = "categorical";

        boolean numeric() {
            return NUMERIC.equals(type);
        }
    }

    /** A class and its number of training rows. */
    public record ClassRows(String name, int trainingRows) {
    }

    /**
     * The training data.
     *
     * @param dataFile   the table, as given
     * @param dataSha256 its SHA-256
     * @param rows       rows learned from
     * @param split      the split rule ({@code DatasetSplit.DESCRIPTION})
     * @param rowsUsed   which rows of the split
     */
    public record Training(String dataFile, String dataSha256, int rows, String split, String rowsUsed) {
    }

    /** The schema of {@code rows}: columns in order, categories seen, numbers' range. */
    public static List<Column> schemaOf(FeatureRows rows) {
        List<Column> out = new ArrayList<>();
        for (int c = 0; c < rows.width(); c++) {
            String name = rows.names().get(c);
            if (rows.numeric()[c]) {
                double[] v = rows.numbers(c);
                out.add(new Column(name, Column.NUMERIC, null, Arrays.stream(v).min().orElse(Double.NaN),
                        Arrays.stream(v).max().orElse(Double.NaN)));
            } else {
                List<String> seen = new ArrayList<>(new TreeSet<>(Arrays.asList(rows.cells(c))));
                out.add(new Column(name, Column.CATEGORICAL, seen, null, null));
            }
        }
        return out;
    }

    /**
     * Writes the bundle: the old manifest and parameter files go first (DJL would number new
     * parameters after old ones), then the model, then the manifest with the files' digests.
     *
     * @param manifest the manifest, {@code files} left null
     */
    public static void write(ObjectMapper mapper, Path dir, GeneratorKind kind, GeneratorKind.Trained trained,
            Manifest manifest) {
        try {
            clear(dir, MANIFEST_FILE);
            trained.save().save(dir, mapper);
            Map<String, String> digests = BundleDigests.of(dir, BundleDigests.required(dir, kind.layoutFile()));
            Manifest sealed = new Manifest(manifest.kind(), manifest.format(), manifest.version(),
                    manifest.createdAt(), manifest.schema(), manifest.groupColumn(), manifest.classes(),
                    manifest.training(), manifest.settings(), manifest.trainingSummary(), manifest.modelFile(),
                    manifest.rebuild(), digests);
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST_FILE).toFile(), sealed);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generator bundle to " + dir, e);
        }
    }

    /**
     * Makes {@code dir} ready for a new bundle: created if absent, its manifest and parameter files
     * removed (DJL would number new parameters after old ones; a half-written bundle then has no
     * manifest, so nothing loads it).
     */
    static void clear(Path dir, String manifestFile) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(manifestFile));
        try (var old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".params")).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A bundle's manifest. */
    public static Manifest manifest(Path dir, ObjectMapper mapper) {
        Path file = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no generator bundle in " + dir + " (no " + MANIFEST_FILE + "); "
                    + "build one with train-generator");
        }
        try {
            return mapper.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** A loaded generator, and the column order of the table it samples for. */
    public record Loaded(TabularGenerator generator, Manifest manifest, FeatureRows table) implements AutoCloseable {

        /** {@code count} rows of class {@code cls}, in the table's column order. */
        public FeatureRows sample(String cls, int count, long seed) {
            FeatureRows drawn = generator.sample(cls, count, seed);
            int[] from = new int[table.width()];
            for (int c = 0; c < from.length; c++) {
                from[c] = drawn.names().indexOf(table.names().get(c));
            }
            List<String[]> rows = new ArrayList<>(drawn.size());
            for (String[] row : drawn.rows()) {
                String[] cells = new String[from.length];
                for (int c = 0; c < from.length; c++) {
                    cells[c] = row[from[c]];
                }
                rows.add(cells);
            }
            return table.with(rows);
        }

        @Override
        public void close() {
            generator.close();
        }
    }

    /**
     * Loads the {@code kind} bundle in {@code dir} to sample rows with the columns of {@code table}.
     *
     * @throws IllegalArgumentException when the bundle holds another kind or other features than the table's
     * @throws io.recon.bundle.InvalidBundleException when a file does not match its digest
     */
    public static Loaded load(Path dir, GeneratorKind kind, FeatureRows table, ObjectMapper mapper) {
        Manifest m = manifest(dir, mapper);
        if (!kind.name().equals(m.kind()) || m.format() != FORMAT) {
            throw new IllegalArgumentException(dir + " holds a '" + m.kind() + "' bundle of format " + m.format()
                    + ", not a " + kind.name() + " bundle of format " + FORMAT);
        }
        checkSchema(dir, m.schema(), table);
        BundleDigests.verify(dir, m.files(), BundleDigests.required(dir, kind.layoutFile()));
        TabularGenerator generator = kind.load(dir, mapper);
        return new Loaded(generator, m, table);
    }

    /**
     * Loads the bundle in {@code dir}, whatever its kind, to sample rows in the columns of its
     * manifest's schema (the synthetic-data roles).
     *
     * @throws IllegalArgumentException when {@code dir} holds no generator bundle, or one of another kind than {@code expectedKind}
     * @throws io.recon.bundle.InvalidBundleException when a file does not match its digest
     */
    public static Opened open(Path dir, String expectedKind, ObjectMapper mapper) {
        Manifest m = manifest(dir, mapper);
        GeneratorKind kind = GeneratorKind.named(m.kind());
        if (!kind.name().equals(expectedKind) || m.format() != FORMAT) {
            throw new IllegalArgumentException(dir + " holds a '" + m.kind() + "' bundle of format " + m.format()
                    + ", not a " + expectedKind + " bundle of format " + FORMAT);
        }
        BundleDigests.verify(dir, m.files(), BundleDigests.required(dir, kind.layoutFile()));
        return new Opened(kind.load(dir, mapper), m);
    }

    /** A generator loaded from its bundle, with the bundle's manifest. */
    public record Opened(TabularGenerator generator, Manifest manifest) {
    }

    /** The model must read and write exactly the table's features, numbers as numbers. */
    private static void checkSchema(Path dir, List<Column> schema, FeatureRows table) {
        Map<String, Boolean> model = new HashMap<>();
        schema.forEach(c -> model.put(c.name(), c.numeric()));
        List<String> missing = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int c = 0; c < table.width(); c++) {
            String name = table.names().get(c);
            if (!model.containsKey(name)) {
                missing.add(name);
            } else if (model.get(name) != table.numeric()[c]) {
                kinds.add(name + (table.numeric()[c] ? " (numeric here)" : " (categorical here)"));
            }
        }
        List<String> extra = schema.stream().map(Column::name).filter(n -> !table.names().contains(n)).toList();
        if (!missing.isEmpty() || !extra.isEmpty() || !kinds.isEmpty()) {
            throw new IllegalArgumentException("the generator in " + dir + " was trained on other features than "
                    + "this table's: " + (missing.isEmpty() ? "" : "not in the model " + missing + "; ")
                    + (extra.isEmpty() ? "" : "not in the table " + extra + "; ")
                    + (kinds.isEmpty() ? "" : "of another kind " + kinds + "; ")
                    + "train one on this table with train-generator");
        }
    }
}
