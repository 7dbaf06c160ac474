package io.recon.synthetic;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a caller asks a generator for: {@code count} events of class {@code cls} of one modality, at
 * {@code rate} events per second. Unset fields take the defaults {@link RequestLimits} gives.
 *
 * @param count    how many events
 * @param cls      the traffic class (a generator or service the model was trained on), JSON {@code "class"}
 * @param modality {@code telemetry} (flow records) or {@code imaging}
 * @param rate     events per second
 * @param seed     seed of the rows; the same seed gives the same rows
 */
public record SyntheticRequest(Integer count, @JsonProperty("class") String cls, String modality, Integer rate,
        Long seed) {

    /** The modality of flow records. */
    public static final String TELEMETRY = "telemetry";
    /** The modality of images. */
    public static final String IMAGING = "imaging";
}
