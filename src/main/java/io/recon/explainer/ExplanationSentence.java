package io.recon.explainer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders an explanation as one sentence a person can act on: the one or two features that stand
 * out, each with what normal would have been, and the event's categories as context ("src_bytes 60,
 * where 9.1k-42k is normal; rst_count 1, where 0 is normal (given proto tcp, service http)").
 */
final class ExplanationSentence {

    /** A cause whose surprise is below this many nats is not worth a clause. */
    static final double MIN_SURPRISE = 0.5;
    /** A cause named must have at least this share of the largest surprise among the causes. */
    static final double SECOND_CAUSE_SHARE = 0.25;

    private ExplanationSentence() {
    }

    /**
     * Names, in ranking order, the first two causes whose surprise is large enough to tell: the
     * ranking also weighs the VAE's share, which can put a value the others predict well near the top.
     *
     * @param causes  the causes, largest contribution first
     * @param context the event's categorical values not among the causes, as "name value"
     */
    static String of(List<FeatureCause> causes, List<String> context) {
        double largest = causes.stream().mapToDouble(FeatureCause::surprise).max().orElse(0);
        if (largest < MIN_SURPRISE) {
            return "No single feature stands out: each is about as predictable from the others as in normal "
                    + "traffic, so the alert comes from the combination as a whole.";
        }
        List<String> clauses = new ArrayList<>();
        for (FeatureCause c : causes) {
            if (clauses.size() == 2) {
                break;
            }
            if (c.surprise() >= Math.max(MIN_SURPRISE, SECOND_CAUSE_SHARE * largest)) {
                clauses.add(clause(c));
            }
        }
        String sentence = String.join("; ", clauses);
        if (!context.isEmpty()) {
            sentence += " (given " + String.join(", ", context.subList(0, Math.min(2, context.size()))) + ")";
        }
        return sentence + "."; // not capitalised: it starts with a feature name, written as the data writes it
    }

    private static String clause(FeatureCause c) {
        if (c.expectedRange() != null) {
            String lo = number(c.expectedRange().get(0));
            String hi = number(c.expectedRange().get(1));
            String normal = lo.equals(hi) ? lo : lo + "-" + hi;
            return c.feature() + " " + value(c.observed()) + ", where " + normal + " is normal";
        }
        return String.format(Locale.ROOT, "%s %s, where %s is expected (%.0f%%)", c.feature(), value(c.observed()),
                value(c.expected()), 100 * c.expectedShare());
    }

    private static String value(Object v) {
        return v instanceof Number n ? number(n.doubleValue()) : String.valueOf(v);
    }

    /** Three significant digits, thousands as k, millions as M, billions as G. */
    static String number(double v) {
        double a = Math.abs(v);
        String[] units = {"", "k", "M", "G"};
        int u = 0;
        while (a >= 1000 && u < units.length - 1) {
            a /= 1000;
            v /= 1000;
            u++;
        }
        if (v == Math.rint(v)) {
            return (long) v + units[u];
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString() + units[u];
    }
}
