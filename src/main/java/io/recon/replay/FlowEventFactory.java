package io.recon.replay;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.data.SchemaInference;
import io.recon.data.Table;

/**
 * Turns rows of a recorded flow table (the capture format of {@code tests/capture}) into
 * telemetry events: every column but the bookkeeping ones becomes a feature, numbers as JSON
 * numbers, everything else as strings. Labels never travel in the event.
 */
public final class FlowEventFactory {

    /** Columns that describe a row rather than the flow. */
    public static final Set<String> NOT_FEATURES = Set.of("id", "ts", "generator", "label");

    private final ObjectMapper mapper;
    private final Table table;
    private final String source;
    private final int idColumn;

    /**
     * @param mapper JSON
     * @param table  the recorded flows
     * @param source the events' {@code source}
     */
    public FlowEventFactory(ObjectMapper mapper, Table table, String source) {
        this.mapper = mapper;
        this.table = table;
        this.source = source;
        this.idColumn = table.columns().indexOf("id");
    }

    /** Number of recorded rows. */
    public int size() {
        return table.size();
    }

    /** The id of row {@code i} on replay pass {@code pass} (1-based); later passes get a suffix. */
    public String id(int i, int pass) {
        String base = idColumn >= 0 ? table.rows().get(i)[idColumn] : "row-" + (i + 1);
        return pass <= 1 ? base : base + "#" + pass;
    }

    /** The event JSON of row {@code i}, stamped with {@code ts}. */
    public String event(int i, int pass, long ts) {
        String[] row = table.rows().get(i);
        List<String> columns = table.columns();
        ObjectNode event = mapper.createObjectNode();
        event.put("id", id(i, pass));
        event.put("ts", ts);
        event.put("source", source);
        ObjectNode features = event.putObject("features");
        for (int c = 0; c < columns.size(); c++) {
            if (NOT_FEATURES.contains(columns.get(c))) {
                continue;
            }
            String cell = row[c].trim();
            if (SchemaInference.isFiniteNumber(cell)) {
                features.put(columns.get(c), Double.parseDouble(cell));
            } else {
                features.put(columns.get(c), cell);
            }
        }
        return event.toString();
    }
}
