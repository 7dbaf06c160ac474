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

    private ExplanationSentence() {
    }

    /**
     * Names, in ranking order, the first two causes whose value lies outside what the other features
     * imply (a number outside its expected range, another category than the likeliest): the ranking
     * is the VAE's, which can put a value inside the transformer's normal range near the top, and
     * "58, where 0-74 is normal" tells an analyst nothing. Where no cause is outside, the first one
     * is named: with what the VAE's repair gain says of it when the VAE ranked it, else with its
     * normal range if it is surprising at all.
     *
     * @param causes  the causes, largest contribution first
     * @param context the event's categorical values, as "name value" (those named as causes are left out)
     */
    static String of(List<FeatureCause> causes, List<String> context) {
        List<String> clauses = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (FeatureCause c : causes) {
            if (clauses.size() < 2 && c.surprise() >= MIN_SURPRISE && outsideExpected(c)) {
                clauses.add(clause(c));
                named.add(c.feature() + " ");
            }
        }
        if (clauses.isEmpty() && !causes.isEmpty()) {
            FeatureCause first = causes.get(0);
            if (first.vaeShare() != null && first.contribution() > 0) {
                // The VAE ranks it first while the transformer finds it ordinary given the others:
                // say what each model sees rather than "33k, where 92-63.6k is normal".
                clauses.add(vaeClause(first));
                named.add(first.feature() + " ");
            } else if (first.surprise() >= MIN_SURPRISE) {
                clauses.add(clause(first));
                named.add(first.feature() + " ");
            }
        }
        if (clauses.isEmpty()) {
            return "No single feature stands out: each is about as predictable from the others as in normal "
                    + "traffic, so the alert comes from the combination as a whole.";
        }
        String sentence = String.join("; ", clauses);
        List<String> given = context.stream().filter(g -> named.stream().noneMatch(g::startsWith)).limit(2).toList();
        if (!given.isEmpty()) {
            sentence += " (given " + String.join(", ", given) + ")";
        }
        return sentence + "."; // not capitalised: it starts with a feature name, written as the data writes it
    }

    private static boolean outsideExpected(FeatureCause c) {
        if (c.expectedRange() != null && c.observed() instanceof Number n) {
            double v = n.doubleValue();
            return v < c.expectedRange().get(0) || v > c.expectedRange().get(1);
        }
        return !String.valueOf(c.observed()).equals(String.valueOf(c.expected()));
    }

    private static String clause(FeatureCause c) {
        if (c.expectedRange() != null) {
            return c.feature() + " " + value(c.observed()) + ", where " + range(c) + " is normal";
        }
        return String.format(Locale.ROOT, "%s %s, where %s is expected (%.0f%%)", c.feature(), value(c.observed()),
                value(c.expected()), 100 * c.expectedShare());
    }

    private static String vaeClause(FeatureCause c) {
        String allowed = c.expectedRange() != null
                ? "the other features alone allow " + range(c)
                : "it is what the other features imply";
        return String.format(Locale.ROOT, "%s %s counts most for the VAE (its alert score falls %s nats when "
                + "this one value is set to what the VAE expects), though %s", c.feature(), value(c.observed()),
                number(c.contribution()), allowed);
    }

    private static String range(FeatureCause c) {
        String lo = number(c.expectedRange().get(0));
        String hi = number(c.expectedRange().get(1));
        return lo.equals(hi) ? lo : lo + "-" + hi;
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
