package io.recon.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code fashion-mnist-benchmark} picks the score it reports, from validation figures only.
 * Two rules compete:
 * <ul>
 * <li>{@link Rule#GLOBAL}: one score for every class, the best validation mean over the classes;</li>
 * <li>{@link Rule#PER_CLASS}: each class's model takes its own best score on its own validation
 * split, as a user training one model on their one normal class would choose.</li>
 * </ul>
 * The best score on a split looks better on that split than it is (many candidates, one split), and
 * more so when each class picks alone, so the rules cannot be compared by the figure they choose by.
 * Each rule is therefore cross-validated on two halves of the validation split: it chooses on one
 * half and is measured on the other, both ways round. The rule with the better cross-validated mean
 * is applied to the whole validation split, and only then is its test figure looked up.
 */
final class ScoreChoice {

    /** A way of picking each class's score from per-class AUROCs. */
    enum Rule {
        GLOBAL("one score for all classes (best validation mean)"),
        PER_CLASS("each class its own score (best on its own validation split)");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        /** The rule's name in the report: {@code global}, {@code per_class}. */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What the rule does, for the report. */
        String description() {
            return description;
        }

        /** Each class's chosen score, same order as {@code aurocs} (one map of score to AUROC per class). */
        List<String> choose(List<Map<String, Double>> aurocs, List<String> candidates) {
            List<String> out = new ArrayList<>(aurocs.size());
            if (this == GLOBAL) {
                String best = best(candidates, score -> mean(aurocs, score));
                aurocs.forEach(c -> out.add(best));
            } else {
                aurocs.forEach(c -> out.add(best(candidates, c::get)));
            }
            return out;
        }
    }

    /**
     * One class's AUROC per score on the whole validation split, on each of its two halves, and on
     * the test set.
     */
    record ClassAurocs(Map<String, Double> validation, Map<String, Double> firstHalf, Map<String, Double> secondHalf,
            Map<String, Double> test) {
    }

    /** What a rule gives: its cross-validated mean, its choices on the whole validation split, their test mean. */
    record Outcome(Rule rule, double crossValidated, List<String> choices, double testMean) {
    }

    private ScoreChoice() {
    }

    /** Every rule's outcome, in the order of {@link Rule#values()}. */
    static List<Outcome> outcomes(List<ClassAurocs> classes, List<String> candidates) {
        List<Map<String, Double>> validation = classes.stream().map(ClassAurocs::validation).toList();
        List<Map<String, Double>> first = classes.stream().map(ClassAurocs::firstHalf).toList();
        List<Map<String, Double>> second = classes.stream().map(ClassAurocs::secondHalf).toList();
        List<Outcome> out = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            double crossValidated = (measured(rule.choose(first, candidates), second)
                    + measured(rule.choose(second, candidates), first)) / 2;
            List<String> choices = rule.choose(validation, candidates);
            out.add(new Outcome(rule, crossValidated, choices,
                    measured(choices, classes.stream().map(ClassAurocs::test).toList())));
        }
        return out;
    }

    /** The outcome with the best cross-validated mean; on a tie the earlier rule (the simpler one). */
    static Outcome best(List<Outcome> outcomes) {
        Outcome best = outcomes.get(0);
        for (Outcome o : outcomes) {
            if (o.crossValidated() > best.crossValidated()) {
                best = o;
            }
        }
        return best;
    }

    /**
     * Splits a labelled set into two halves with the same share of anomalies: normals and anomalies
     * alike go to the halves in turn, in their order. Returns the first half's membership.
     */
    static boolean[] firstHalf(boolean[] anomalous) {
        boolean[] first = new boolean[anomalous.length];
        int normals = 0;
        int anomalies = 0;
        for (int i = 0; i < anomalous.length; i++) {
            first[i] = anomalous[i] ? anomalies++ % 2 == 0 : normals++ % 2 == 0;
        }
        return first;
    }

    /** The mean over classes of each class's AUROC under its chosen score. */
    private static double measured(List<String> choices, List<Map<String, Double>> aurocs) {
        double sum = 0;
        for (int c = 0; c < choices.size(); c++) {
            sum += aurocs.get(c).get(choices.get(c));
        }
        return sum / choices.size();
    }

    private static double mean(List<Map<String, Double>> aurocs, String score) {
        return aurocs.stream().mapToDouble(a -> a.get(score)).average().orElseThrow();
    }

    /** The candidate with the highest value; on a tie the earlier one. */
    private static String best(List<String> candidates, Function<String, Double> value) {
        String best = candidates.get(0);
        for (String score : candidates) {
            if (value.apply(score) > value.apply(best)) {
                best = score;
            }
        }
        return best;
    }
}
