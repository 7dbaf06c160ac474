package io.recon.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV or JSON-lines file into a {@link Table} of strings, streaming through the input once.
 *
 * <p>The format comes from the file name (case-insensitive): {@code .csv} is RFC 4180 CSV with a
 * required header row; {@code .jsonl} and {@code .ndjson} hold one flat JSON object per line.
 * A trailing {@code .gz} means gzip. Blank lines are skipped in both formats.
 *
 * <p>CSV, parsed by Jackson's CSV data format: fields may be quoted to hold commas, line breaks
 * and doubled quotes ({@code ""}); LF, CRLF and lone CR all end a record; every record must have
 * as many fields as the header. A stray quote inside an unquoted field is kept literally; text
 * after a closing quote is an error. A line of spaces only counts as blank.
 *
 * <p>JSON lines: the columns are the union of all keys in first-seen order; a row lacking a key gets
 * an empty string, as does JSON {@code null}. Numbers become plain decimal text without exponent or
 * trailing zeros ({@code 1e3} becomes {@code "1000"}), booleans {@code "true"}/{@code "false"}.
 * Nested objects and arrays are rejected. A file without any object gives an empty table.
 */
public final class TabularReader {

    private static final int BUFFER_CHARS = 1 << 16;

    // Floats as BigDecimal so numbers can be written back as the plain decimal that was in the file
    // (no 1.0E-7 artefacts); strict on duplicate keys and on anything after the object.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    // RFC 4180: rows as arrays of strings, a header row read as data (names checked here), empty
    // lines skipped; quotes only around whole fields ("" escapes one), others kept as text.
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private TabularReader() {
    }

    /**
     * Reads a whole file.
     *
     * @param file a {@code .csv}, {@code .jsonl} or {@code .ndjson} file, optionally gzipped ({@code .gz})
     * @return the table
     * @throws TabularFormatException   on malformed content (message names file and line)
     * @throws IllegalArgumentException if the extension is not supported
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Table read(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean gzip = lower.endsWith(".gz");
        String base = gzip ? lower.substring(0, lower.length() - 3) : lower;
        boolean csv = base.endsWith(".csv");
        if (!csv && !base.endsWith(".jsonl") && !base.endsWith(".ndjson")) {
            throw new IllegalArgumentException("unsupported file type: " + name
                    + " (expected .csv, .jsonl or .ndjson, optionally followed by .gz)");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gzip ? new GZIPInputStream(raw, BUFFER_CHARS) : raw;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return csv ? readCsv(reader, name) : readJsonLines(new BufferedReader(reader, BUFFER_CHARS), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Table readCsv(Reader reader, String name) throws IOException {
        try (MappingIterator<String[]> records = CSV.readerFor(String[].class).readValues(reader)) {
            List<String> header = nextNonBlankRecord(records, name);
            if (header == null) {
                throw new TabularFormatException(name, 1, "missing header row (file is empty)");
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1)); // a byte order mark is not part of the name
            }
            List<String> distinct = header.stream().distinct().toList();
            if (distinct.size() != header.size()) {
                throw new TabularFormatException(name, recordLine(records), "duplicate column name in header "
                        + header);
            }
            List<String[]> rows = new ArrayList<>();
            List<String> record;
            while ((record = nextNonBlankRecord(records, name)) != null) {
                if (record.size() != header.size()) {
                    throw new TabularFormatException(name, recordLine(records), "expected " + header.size()
                            + " fields as in the header, found " + record.size());
                }
                rows.add(record.toArray(new String[0]));
            }
            return new Table(header, rows);
        }
    }

    /**
     * The next record that is not a line of blanks, or null at the end. The library skips empty
     * lines, so a one-field record that is empty was written {@code ""} and is kept; one of spaces
     * only is taken for a blank line.
     */
    private static List<String> nextNonBlankRecord(MappingIterator<String[]> records, String name) {
        try {
            while (records.hasNextValue()) {
                String[] record = records.nextValue();
                if (record.length != 1 || record[0].isEmpty() || !record[0].isBlank()) {
                    return new ArrayList<>(Arrays.asList(record));
                }
            }
            return null;
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            if (message != null && message.contains("Missing closing quote")) {
                // Say where the quote opened: the end of the file is where the library noticed.
                throw new TabularFormatException(name, recordLine(records), "unterminated quoted field", e);
            }
            long line = e instanceof JsonProcessingException p && p.getLocation() != null ? p.getLocation().getLineNr()
                    : recordLine(records);
            throw new TabularFormatException(name, line, message, e);
        }
    }

    /** Line on which the record most recently read starts. */
    private static long recordLine(MappingIterator<String[]> records) {
        return records.getParser().currentTokenLocation().getLineNr();
    }

    private static Table readJsonLines(BufferedReader reader, String name) throws IOException {
        Map<String, Integer> keys = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        long lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = parseJson(line, name, lineNumber);
            if (!node.isObject()) {
                throw new TabularFormatException(name, lineNumber,
                        "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                keys.putIfAbsent(field.getKey(), keys.size());
            }
            // Keys first seen later are appended at the end, so earlier rows are padded afterwards.
            String[] row = new String[keys.size()];
            Arrays.fill(row, "");
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                row[keys.get(field.getKey())] = cellText(field.getValue(), field.getKey(), name, lineNumber);
            }
            rows.add(row);
        }
        int width = keys.size();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            if (row.length < width) {
                String[] padded = Arrays.copyOf(row, width);
                Arrays.fill(padded, row.length, width, "");
                rows.set(i, padded);
            }
        }
        return new Table(new ArrayList<>(keys.keySet()), rows);
    }

    private static JsonNode parseJson(String line, String name, long lineNumber) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TabularFormatException(name, lineNumber, "invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String cellText(JsonNode value, String key, String name, long lineNumber) {
        if (value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            // Canonical plain decimal: 1e3 -> "1000", 1.50 -> "1.5", 1.5e-7 -> "0.00000015".
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.booleanValue());
        }
        String kind = value.isArray() ? "an array" : "a nested object";
        throw new TabularFormatException(name, lineNumber,
                "field '" + key + "' holds " + kind + "; only flat objects of scalar values are supported");
    }
}
