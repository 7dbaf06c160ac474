package io.recon.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code recon.verdicts} carries per event in the {@code compact} verdict mode: enough to count,
 * join and audit every decision (which event, which model, alert or not, on what score) at about a
 * third of a normal event's full verdict. Alerts always carry the full {@link Verdict}.
 *
 * @param eventId      the scored event's id
 * @param eventTs      the event's time (epoch ms), for lag and latency
 * @param model        model name
 * @param modelVersion model version
 * @param alert        whether it alerted
 * @param alertScore   the score's name
 * @param score        its value, or its upper bound when {@code bound}
 * @param bound        the score is two-stage scoring's first-stage bound (written only when true)
 */
public record CompactVerdict(String eventId, long eventTs, String model, String modelVersion, boolean alert,
        String alertScore, double score, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean bound) {

    /** The compact form of a full verdict. */
    public static CompactVerdict of(Verdict v) {
        return new CompactVerdict(v.eventId(), v.eventTs(), v.model(), v.modelVersion(), v.alert(), v.alertScore(),
                v.score(), v.scores() != null && v.scores().bound());
    }
}
