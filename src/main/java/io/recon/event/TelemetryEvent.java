package io.recon.event;

import java.util.Map;

/**
 * One network-telemetry event (a flow record) as it arrives on {@code telemetry.events}.
 *
 * @param id       unique event id; alerts are keyed by it, so downstream consumers can dedupe
 * @param ts       event time in epoch milliseconds
 * @param source   who produced it (exporter, sensor, capture name)
 * @param features feature name to value: a {@link Double} for numeric features, a
 *                 {@link String} for categorical ones
 */
public record TelemetryEvent(String id, long ts, String source, Map<String, Object> features) {
}
