package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The sentence an analyst reads: the causes that stand out, what normal is, and the context. */
class ExplanationSentenceTest {

    private static FeatureCause number(String name, double observed, double lo, double hi, double contribution) {
        return new FeatureCause(name, observed, (lo + hi) / 2, List.of(lo, hi), null, contribution, 0, null, contribution);
    }

    @Test
    void namesTheLeadingCausesWithWhatNormalIs() {
        List<FeatureCause> causes = List.of(number("src_bytes", 60, 9_100, 42_000, 12),
                new FeatureCause("dst_port", "p5432", "p18080", null, 0.93, 8, 0.1, null, 7.9),
                number("duration_s", 0.5, 0.1, 0.9, 0.6));
        assertEquals("src_bytes 60, where 9.1k-42k is normal; dst_port p5432, where p18080 is expected (93%) "
                + "(given proto tcp, service http).", ExplanationSentence.of(causes, List.of("proto tcp",
                        "service http", "state FIN")));
    }

    @Test
    void aSecondCauseInsideItsNormalRangeIsLeftOut() {
        String s = ExplanationSentence.of(List.of(number("urg_count", 1, 0, 0, 400), number("ack_count", 3, 2, 9, 5)),
                List.of());
        assertEquals("urg_count 1, where 0 is normal.", s);
    }

    @Test
    void aCauseInsideItsNormalRangeIsListedButNotNamedNorRepeatedAsContext() {
        // Ranked second (by the VAE's share), but inside the range the others imply.
        List<FeatureCause> causes = List.of(
                new FeatureCause("dst_retrans", 5.0, 0.0, List.of(0.0, 2.0), null, 40, 0, 0.56, 1.0),
                new FeatureCause("psh_count", 58.0, 30.0, List.of(0.0, 74.0), null, 1, 0, 0.08, 0.97),
                new FeatureCause("tcp_opts", "MwsS__T", "Mws___T", null, 0.88, 30, 0, 0.01, 0.9));
        assertEquals("dst_retrans 5, where 0-2 is normal; tcp_opts MwsS__T, where Mws___T is expected (88%) "
                + "(given proto tcp, state FIN).", ExplanationSentence.of(causes, List.of("proto tcp",
                        "tcp_opts MwsS__T", "state FIN")));
    }

    @Test
    void saysSoWhenNoFeatureStandsOut() {
        String s = ExplanationSentence.of(List.of(number("a", 1, 0, 2, 0.3)), List.of());
        assertTrue(s.startsWith("No single feature stands out"), s);
    }

    @Test
    void aVaeCauseTheOtherFeaturesAllowSaysWhatEachModelSees() {
        // README's curl false positive: the VAE ranks the packet size first, the transformer finds it
        // ordinary given the flow's other features.
        List<FeatureCause> causes = List.of(
                new FeatureCause("dst_max_packet_size", 33_046.0, 1_500.0, List.of(92.0, 63_600.0), null, 0.2, 0.1,
                        0.2, 812.4),
                new FeatureCause("state", "CON", "CON", null, 0.9, 0.1, 0.1, 0.05, 20));
        assertEquals("dst_max_packet_size 33k counts most for the VAE (its alert score falls 812 nats when this "
                + "one value is set to what the VAE expects), though the other features alone allow 92-63.6k "
                + "(given proto tcp, state CON).", ExplanationSentence.of(causes, List.of("proto tcp", "state CON")));
    }

    @Test
    void numbersAreShortAndKeepThreeDigits() {
        assertEquals("0.000123", ExplanationSentence.number(0.000123456));
        assertEquals("12.3k", ExplanationSentence.number(12_345));
        assertEquals("200M", ExplanationSentence.number(200_318_395));
        assertEquals("7", ExplanationSentence.number(7));
    }
}
