package io.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TabularReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private Path writeGzip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private TabularFormatException failure(String name, String content) throws IOException {
        Path file = write(name, content);
        return assertThrows(TabularFormatException.class, () -> TabularReader.read(file));
    }

    /** Malformed tables: each names its file, the line, and what is wrong there. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("rag.csv", "a,b\n1,2\n3\n", 3, "expected 2 fields"),
                // a quoted newline and a blank line count as lines
                Arguments.of("ml.csv", "a,b\n\"x\ny\",1\n\n1,2,3\n", 5, "expected 2 fields"),
                // the line where the quote opened, not the end of the file
                Arguments.of("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n", 3, "unterminated"),
                Arguments.of("after.csv", "a,b\n\"x\"y,1\n", 2, "Expected column separator"),
                Arguments.of("empty.csv", "", 1, "header"),
                Arguments.of("blank.csv", "\n\n", 1, "header"),
                Arguments.of("dup.csv", "\na,b,a\n1,2,3\n", 2, "duplicate"),
                Arguments.of("nest.jsonl", "{\"a\":1}\n\n{\"a\":2,\"meta\":{\"k\":1}}\n", 3,
                        "'meta' holds a nested object"),
                Arguments.of("arr.jsonl", "{\"tags\":[1,2]}\n", 1, "array"),
                Arguments.of("bad.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\": oops}\n", 3, "invalid JSON"),
                Arguments.of("arr2.jsonl", "[1,2]\n", 1, "expected a JSON object"),
                Arguments.of("two.jsonl", "{\"a\":1}\n{\"a\":1} {\"a\":2}\n", 2, "invalid JSON"), // trailing tokens
                Arguments.of("dupkey.jsonl", "{\"a\":1,\"a\":2}\n", 1, "invalid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputNamesFileLineAndCause(String name, String content, int line, String cause) throws IOException {
        TabularFormatException e = failure(name, content);
        assertEquals(name, e.fileName());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(name + ", line " + line) && e.getMessage().contains(cause), e.getMessage());
    }

    @Nested
    class Csv {
        @Test
        void simpleFile() throws IOException {
            Table t = TabularReader.read(write("a.csv", "x,y,label\n1,2,a\n3,4,b\n"));
            assertEquals(List.of("x", "y", "label"), t.columns());
            assertEquals(2, t.size());
            assertArrayEquals(new String[] {"3", "4", "b"}, t.rows().get(1));
        }

        @Test
        void quotingEdgeCases() throws IOException {
            String csv = "name,comment,n\n"
                    + "\"Smith, John\",\"He said \"\"hi\"\"\",1\n"
                    + "\"\",\"line one\nline two\",2\n"
                    + "plain,\"\"\"\",3\n"
                    + "5'11\",x\"y,4\n";
            Table t = TabularReader.read(write("q.csv", csv));
            assertEquals(4, t.size());
            assertArrayEquals(new String[] {"Smith, John", "He said \"hi\"", "1"}, t.rows().get(0));
            assertArrayEquals(new String[] {"", "line one\nline two", "2"}, t.rows().get(1));
            assertArrayEquals(new String[] {"plain", "\"", "3"}, t.rows().get(2));
            // Stray quotes inside unquoted fields are kept literally.
            assertArrayEquals(new String[] {"5'11\"", "x\"y", "4"}, t.rows().get(3));
        }

        @Test
        void crlfLineEndingsAndNoTrailingNewline() throws IOException {
            Table t = TabularReader.read(write("w.csv", "a,b\r\n1,\"x\r\ny\"\r\n3,4"));
            assertEquals(2, t.size());
            assertArrayEquals(new String[] {"1", "x\r\ny"}, t.rows().get(0));
            assertArrayEquals(new String[] {"3", "4"}, t.rows().get(1));
        }

        @Test
        void emptyFieldsAndBlankLines() throws IOException {
            Table t = TabularReader.read(write("e.csv", "\n  \na,b,c\n\n,,\n1,,\n\r\n,2,\n\n"));
            assertEquals(List.of("a", "b", "c"), t.columns());
            assertEquals(3, t.size());
            assertArrayEquals(new String[] {"", "", ""}, t.rows().get(0));
            assertArrayEquals(new String[] {"1", "", ""}, t.rows().get(1));
            assertArrayEquals(new String[] {"", "2", ""}, t.rows().get(2));
        }

        @Test
        void quotedEmptyLineIsAValueNotABlankLine() throws IOException {
            Table t = TabularReader.read(write("one.csv", "only\n\"\"\nv\n"));
            assertEquals(2, t.size());
            assertArrayEquals(new String[] {""}, t.rows().get(0));
        }

        @Test
        void byteOrderMarkIsDropped() throws IOException {
            Table t = TabularReader.read(write("bom.csv", "\uFEFFid,v\n1,2\n"));
            assertEquals(0, t.columnIndex("id"));
        }

        @Test
        void headerOnlyGivesEmptyTable() throws IOException {
            Table t = TabularReader.read(write("h.csv", "a,b\n"));
            assertEquals(List.of("a", "b"), t.columns());
            assertEquals(0, t.size());
        }

        @Test
        void gzipRoundTrip() throws IOException {
            Table t = TabularReader.read(writeGzip("data.csv.gz", "a,b\n1,\"x,y\"\n"));
            assertEquals(1, t.size());
            assertArrayEquals(new String[] {"1", "x,y"}, t.rows().get(0));
        }

        @Test
        void extensionIsCaseInsensitive() throws IOException {
            assertEquals(1, TabularReader.read(write("UPPER.CSV", "a\n1\n")).size());
            assertEquals(1, TabularReader.read(writeGzip("x.CSV.GZ", "a\n1\n")).size());
        }

        @Test
        void readsALargeFileQuickly() throws IOException {
            int rows = 100_000;
            int cols = 40;
            StringBuilder sb = new StringBuilder(rows * cols * 8);
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append("col").append(c);
            }
            sb.append('\n');
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    sb.append(c == 0 ? "" : ",");
                    if (c % 10 == 9) {
                        sb.append("\"cat,").append(r % 7).append('"');
                    } else {
                        sb.append(r * 0.5 + c);
                    }
                }
                sb.append('\n');
            }
            Path file = write("big.csv", sb.toString());
            long start = System.nanoTime();
            Table t = TabularReader.read(file);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(rows, t.size());
            assertEquals("cat,3", t.rows().get(3)[9]);
            assertTrue(seconds < 15, "took " + seconds + " s");
            System.out.printf("TabularReader CSV 100k x 40: %.2f s%n", seconds);
        }
    }

    @Nested
    class JsonLines {
        @Test
        void unionOfKeysInFirstSeenOrder() throws IOException {
            String jsonl = "{\"a\": 1, \"b\": \"x\"}\n"
                    + "\n"
                    + "{\"c\": true, \"a\": 2}\n"
                    + "{\"b\": \"z\", \"d\": null}\n";
            Table t = TabularReader.read(write("u.jsonl", jsonl));
            assertEquals(List.of("a", "b", "c", "d"), t.columns());
            assertEquals(3, t.size());
            assertArrayEquals(new String[] {"1", "x", "", ""}, t.rows().get(0));
            assertArrayEquals(new String[] {"2", "", "true", ""}, t.rows().get(1));
            assertArrayEquals(new String[] {"", "z", "", ""}, t.rows().get(2));
        }

        @Test
        void numbersAsPlainDecimalText() throws IOException {
            String jsonl = "{\"i\": 10, \"neg\": -3, \"f\": 2.5, \"e\": 1e3, \"small\": 1.5e-7,"
                    + " \"zeros\": 1.50, \"big\": 123456789012345678901234567890}\n";
            Table t = TabularReader.read(write("n.ndjson", jsonl));
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < t.columns().size(); i++) {
                row.put(t.columns().get(i), t.rows().get(0)[i]);
            }
            assertEquals("10", row.get("i"));
            assertEquals("-3", row.get("neg"));
            assertEquals("2.5", row.get("f"));
            assertEquals("1000", row.get("e"));
            assertEquals("0.00000015", row.get("small"));
            assertEquals("1.5", row.get("zeros"));
            assertEquals("123456789012345678901234567890", row.get("big"));
            assertEquals(SchemaInference.infer(t, Set.of()).values().stream().distinct().toList(),
                    List.of(ColumnKind.NUMERIC));
        }

        @Test
        void gzipRoundTripAndCrlf() throws IOException {
            Table t = TabularReader.read(writeGzip("d.jsonl.gz", "{\"a\":\"x\"}\r\n{\"b\":2}\r\n"));
            assertEquals(List.of("a", "b"), t.columns());
            assertArrayEquals(new String[] {"", "2"}, t.rows().get(1));
            assertEquals(1, TabularReader.read(writeGzip("d.ndjson.gz", "{\"a\":1}\n")).size());
        }

        @Test
        void emptyFileGivesEmptyTable() throws IOException {
            Table t = TabularReader.read(write("none.jsonl", "\n\n"));
            assertEquals(0, t.size());
            assertEquals(List.of(), t.columns());
        }
    }

    @Test
    void unsupportedExtensionAndMissingFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TabularReader.read(dir.resolve("data.parquet")));
        assertTrue(e.getMessage().contains("data.parquet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TabularReader.read(dir.resolve("data.gz")));
        assertThrows(UncheckedIOException.class, () -> TabularReader.read(dir.resolve("missing.csv")));
    }

    @Test
    void corruptGzipIsAnIoError() throws IOException {
        Path file = write("fake.csv.gz", "a,b\n1,2\n");
        assertThrows(UncheckedIOException.class, () -> TabularReader.read(file));
    }

    @Nested
    class TableRecord {
        private final Table table = new Table(List.of("id", "value"),
                List.<String[]>of(new String[] {"1", "a"}, new String[] {"2", "b"}));

        @Test
        void columnIndexAndSize() {
            assertEquals(1, table.columnIndex("value"));
            assertEquals(2, table.size());
        }

        @Test
        void missingColumnMessageListsAvailableColumns() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.columnIndex("nope"));
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
            assertTrue(e.getMessage().contains("[id, value]"), e.getMessage());
        }

        @Test
        void shapeIsValidated() {
            assertThrows(IllegalArgumentException.class,
                    () -> new Table(List.of("a", "a"), List.of()));
            assertThrows(IllegalArgumentException.class,
                    () -> new Table(List.of("a", "b"), List.<String[]>of(new String[] {"1"})));
        }
    }

    /** {@link SchemaInference}: kept here so the reader's test run covers typing too. */
    @Nested
    class SchemaInferenceRules {

        /** Builds a table from row arrays. */
        private Table table(List<String> columns, String[]... rows) {
            return new Table(columns, new ArrayList<>(List.of(rows)));
        }

        @Test
        void numericCategoricalAndEmptyColumns() {
            Table t = table(List.of("num", "cat", "mixed", "gaps", "empty", "label"),
                    new String[] {"1", "a", "1", "", "", "0"},
                    new String[] {"-2.5e3", "b", "x", " 4 ", "", "1"},
                    new String[] {" 7 ", "1", "3", "", " ", "0"});
            Map<String, ColumnKind> kinds = SchemaInference.infer(t, Set.of("label"));
            assertEquals(List.of("num", "cat", "mixed", "gaps", "empty"), List.copyOf(kinds.keySet()));
            assertEquals(ColumnKind.NUMERIC, kinds.get("num"));
            assertEquals(ColumnKind.CATEGORICAL, kinds.get("cat"));
            assertEquals(ColumnKind.CATEGORICAL, kinds.get("mixed"));
            assertEquals(ColumnKind.NUMERIC, kinds.get("gaps"), "empty cells do not count against numeric");
            assertEquals(ColumnKind.CATEGORICAL, kinds.get("empty"), "no values means no evidence of numeric");
        }

        @Test
        void nanAndInfinityTextMakeACategoricalColumn() {
            assertEquals(ColumnKind.CATEGORICAL, SchemaInference.infer(
                    table(List.of("v"), new String[] {"1"}, new String[] {"NaN"}), Set.of()).get("v"));
            assertEquals(ColumnKind.CATEGORICAL, SchemaInference.infer(
                    table(List.of("v"), new String[] {"1"}, new String[] {"-Infinity"}), Set.of()).get("v"));
            assertEquals(ColumnKind.CATEGORICAL, SchemaInference.infer(
                    table(List.of("v"), new String[] {"1"}, new String[] {"1e400"}), Set.of()).get("v"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "+3", "3.", ".5", "1e-5", " 2.5E+3 ", "007", "-0.0"})
        void finiteNumbers(String cell) {
            assertTrue(SchemaInference.isFiniteNumber(cell), cell);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "NaN", "Infinity", "+Infinity", "1e400", "0x1p3", "1f", "2d",
                "1,000", "1.2.3", "e", "-", "12abc", "--1"})
        void notFiniteNumbers(String cell) {
            assertFalse(SchemaInference.isFiniteNumber(cell), cell);
        }

        @Test
        void excludingUnknownColumnsIsHarmlessAndOrderIsKept() {
            Table t = table(List.of("z", "a", "m"), new String[] {"1", "x", "2"});
            Map<String, ColumnKind> kinds = SchemaInference.infer(t, Set.of("not-there", "a"));
            assertEquals(List.of("z", "m"), List.copyOf(kinds.keySet()));
            assertEquals(ColumnKind.NUMERIC, kinds.get("m"));
        }

        @Test
        void tableWithoutRowsIsAllCategorical() {
            Map<String, ColumnKind> kinds = SchemaInference.infer(table(List.of("a", "b")), Set.of());
            assertEquals(Map.of("a", ColumnKind.CATEGORICAL, "b", ColumnKind.CATEGORICAL), kinds);
        }
    }
}
