package io.recon.synthetic;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.data.FeatureRows;
import io.recon.imaging.GrayImage;

/**
 * Synthetic rows as telemetry events, in the envelope of real ones ({@code id}, {@code ts},
 * {@code source}, {@code features}: numbers as JSON numbers, categories as strings), and synthetic
 * images as imaging events ({@code modality}, {@code encoding: "png"}, base64 {@code data}), plus
 * what marks them: {@code synthetic: true}, the generator's name and version, the class asked for
 * and the request they answer. A consumer can use them as real events' data and can never mistake
 * them for real ones.
 */
final class SyntheticEventFactory {

    private final ObjectMapper mapper;

    SyntheticEventFactory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The id of event {@code n} (1-based) of a request. */
    static String id(RequestStatus request, int n) {
        return "synthetic-" + request.getGenerator() + "-" + request.getId() + "-" + n;
    }

    /** Row {@code r} of {@code rows} as event {@code n} of {@code request}, stamped {@code ts}. */
    String event(RequestStatus request, int n, FeatureRows rows, int r, long ts) {
        ObjectNode event = envelope(request, n, ts);
        ObjectNode features = event.putObject("features");
        String[] row = rows.rows().get(r);
        List<String> names = rows.names();
        for (int c = 0; c < names.size(); c++) {
            if (!rows.numeric()[c]) {
                features.put(names.get(c), row[c]);
                continue;
            }
            double value = rows.number(row[c], c);
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                features.put(names.get(c), (long) value); // counts stay whole numbers on the wire
            } else {
                features.put(names.get(c), value);
            }
        }
        return event.toString();
    }

    /**
     * Image {@code pixels} ({@code side * side}, row-major, in [0, 1]) as event {@code n} of
     * {@code request}: an 8-bit grayscale PNG, as a PACS export or the replay would send it.
     */
    String imageEvent(RequestStatus request, int n, float[] pixels, int side, String modality, long ts) {
        ObjectNode event = envelope(request, n, ts);
        event.put("modality", modality);
        event.put("encoding", "png");
        event.put("data", Base64.getEncoder().encodeToString(
                new GrayImage(side, side, pixels, "synthetic").toPng()));
        return event.toString();
    }

    private ObjectNode envelope(RequestStatus request, int n, long ts) {
        ObjectNode event = mapper.createObjectNode();
        event.put("id", id(request, n));
        event.put("ts", ts);
        event.put("source", "synthetic:" + request.getGenerator());
        event.put("synthetic", true);
        event.putObject("generator").put("name", request.getGenerator()).put("version", request.getVersion());
        event.put("class", request.getClassName());
        event.put("request", request.getId());
        return event;
    }
}
