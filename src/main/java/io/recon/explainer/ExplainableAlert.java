package io.recon.explainer;

import java.util.Map;

/**
 * The parts of an alert the explainer reads.
 *
 * @param eventId   the alerting event's id
 * @param source    the event's source
 * @param stream    {@code telemetry} or {@code imaging}
 * @param model     the scoring model's name
 * @param version   its version
 * @param severity  the alert's severity
 * @param scoredAt  when it was scored (epoch ms)
 * @param features  the event's features as sent (numbers as Double, categories as String); null for images
 * @param inputPng  the image as the model saw it, PNG in base64; null for telemetry
 */
record ExplainableAlert(String eventId, String source, String stream, String model, String version,
        String severity, long scoredAt, Map<String, Object> features, String inputPng) {
}
