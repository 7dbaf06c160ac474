package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ScoreChoiceTest {

    private static final List<String> CANDIDATES = List.of("a", "b");

    private static ScoreChoice.ClassAurocs auroc(double a, double b, double testA, double testB) {
        Map<String, Double> validation = Map.of("a", a, "b", b);
        return new ScoreChoice.ClassAurocs(validation, validation, validation, Map.of("a", testA, "b", testB));
    }

    @Test
    void perClassRuleWinsWhereEachClassHasAStableScoreOfItsOwn() {
        // Class 0 is best under a, class 1 under b, and the halves agree: each class's own choice
        // holds up on the other half, so the per-class rule is cross-validated above the global one.
        List<ScoreChoice.Outcome> outcomes = ScoreChoice.outcomes(
                List.of(auroc(0.9, 0.7, 0.88, 0.72), auroc(0.75, 0.96, 0.74, 0.93)), CANDIDATES);
        ScoreChoice.Outcome global = outcomes.get(0);
        ScoreChoice.Outcome perClass = outcomes.get(1);
        assertEquals(ScoreChoice.Rule.GLOBAL, global.rule());
        assertEquals(List.of("b", "b"), global.choices()); // mean 0.83 against 0.825
        assertEquals(List.of("a", "b"), perClass.choices());
        assertEquals((0.9 + 0.96) / 2, perClass.crossValidated(), 1e-12);
        assertEquals((0.7 + 0.96) / 2, global.crossValidated(), 1e-12);
        assertEquals((0.88 + 0.93) / 2, perClass.testMean(), 1e-12);
        assertEquals(ScoreChoice.Rule.PER_CLASS, ScoreChoice.best(outcomes).rule());
    }

    @Test
    void perClassRuleLosesWhereItsChoiceDoesNotHoldOnTheOtherHalf() {
        // Class 0's best score flips between the halves (noise); b is the better score overall.
        Map<String, Double> first = Map.of("a", 0.86, "b", 0.84);
        Map<String, Double> second = Map.of("a", 0.80, "b", 0.85);
        Map<String, Double> test = Map.of("a", 0.80, "b", 0.85);
        ScoreChoice.ClassAurocs noisy = new ScoreChoice.ClassAurocs(Map.of("a", 0.83, "b", 0.845), first, second, test);
        ScoreChoice.ClassAurocs steady = auroc(0.70, 0.90, 0.70, 0.90);
        List<ScoreChoice.Outcome> outcomes = ScoreChoice.outcomes(List.of(noisy, steady), CANDIDATES);
        // Global: b on both halves, measured 0.845 and 0.9 on average. Per class: class 0 takes a on
        // the first half (0.80 on the second) and b on the second (0.84 on the first).
        assertEquals(((0.85 + 0.90) / 2 + (0.84 + 0.90) / 2) / 2, outcomes.get(0).crossValidated(), 1e-12);
        assertEquals(((0.80 + 0.90) / 2 + (0.84 + 0.90) / 2) / 2, outcomes.get(1).crossValidated(), 1e-12);
        assertEquals(ScoreChoice.Rule.GLOBAL, ScoreChoice.best(outcomes).rule());
    }

    @Test
    void halvesKeepTheShareOfAnomalies() {
        boolean[] anomalous = {false, false, true, false, true, true, false, true};
        assertArrayEquals(new boolean[] {true, false, true, true, false, true, false, false},
                ScoreChoice.firstHalf(anomalous));
    }
}
