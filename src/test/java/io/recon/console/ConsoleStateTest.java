package io.recon.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What the console keeps and works out from what it reads: alerts, filters, rates, dead letters. */
class ConsoleStateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static AlertSummary alert(String id, String stream, String model, String severity, long scoredAt)
            throws Exception {
        return AlertSummary.of(MAPPER.readTree("{\"eventId\":\"" + id + "\",\"stream\":\"" + stream + "\",\"model\":\""
                + model + "\",\"severity\":\"" + severity + "\",\"scoredAt\":" + scoredAt + ",\"score\":3.5,"
                + "\"topContributions\":[{\"feature\":\"a\"},{\"feature\":\"b\"},{\"feature\":\"c\"},{\"feature\":\"d\"}]}"));
    }

    @Test
    void filtersMatchStreamModelSeverityFloorAndTime() throws Exception {
        AlertSummary high = alert("1", "telemetry", "m", "high", 1_000);
        assertEquals(List.of("a", "b", "c"), high.topFeatures(), "the three largest contributions");
        assertTrue(new AlertFilter("", null, "medium", 0).matches(high));
        assertTrue(new AlertFilter("telemetry", "m", "high", 1_000).matches(high));
        assertTrue(!new AlertFilter(null, null, "critical", 0).matches(high));
        assertTrue(!new AlertFilter("imaging", null, null, 0).matches(high));
        assertTrue(!new AlertFilter(null, "other", null, 0).matches(high));
        assertTrue(!new AlertFilter(null, null, null, 1_001).matches(high));
        assertThrows(IllegalArgumentException.class, () -> new AlertFilter(null, null, "urgent", 0));
        assertThrows(IllegalArgumentException.class, () -> AlertSummary.of(MAPPER.readTree("{\"eventId\":\"x\"}")));
    }

    @Test
    void recentAlertsAreBoundedNewestFirstAndPickUpExplanationsReadInEitherOrder() throws Exception {
        RecentAlerts recent = new RecentAlerts(3, 1 << 20);
        recent.addExplanation("2", "read before its alert", "{}".getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 4; i++) {
            recent.addAlert(alert(Integer.toString(i), i % 2 == 0 ? "imaging" : "telemetry", "m", "low", i), new byte[10]);
        }
        List<AlertSummary> newest = recent.newest(new AlertFilter(null, null, null, 0), 10);
        assertEquals(List.of("4", "3", "2"), newest.stream().map(AlertSummary::eventId).toList(), "capacity 3");
        assertEquals("read before its alert", newest.get(2).sentence());
        assertEquals("later", recent.addExplanation("3", "later", new byte[2]).orElseThrow().sentence());
        assertTrue(recent.addExplanation("1", "too late", new byte[2]).isEmpty(), "alert 1 fell out");
        assertTrue(recent.alert("1").isEmpty());
        assertEquals(List.of("2", "4"), recent.newest(new AlertFilter("imaging", null, null, 0), 10).stream()
                .map(AlertSummary::eventId).sorted().toList());
        assertEquals(Map.of("streams", List.of("imaging", "telemetry"), "models", List.of("m")), recent.choices());
    }

    @Test
    void ratesAreTheChangeOverTheWindowAndSurviveATopicMadeAgain() {
        RateWindow w = new RateWindow(10_000);
        assertEquals(Map.of(), w.perSecond());
        w.add(0, Map.of("t", 0L));
        w.add(5_000, Map.of("t", 500L));
        assertEquals(100.0, w.perSecond().get("t"), 1e-9);
        w.add(10_000, Map.of("t", 1_000L, "new", 50L));
        w.add(15_000, Map.of("t", 1_100L, "new", 100L));
        // Window 10 s: readings at 5, 10, 15 s remain; t grew 600 in 10 s; "new" counts from 0 before it.
        assertEquals(60.0, w.perSecond().get("t"), 1e-9);
        assertEquals(10.0, w.perSecond().get("new"), 1e-9);
        w.add(20_000, Map.of("t", 30L, "new", 100L));
        assertEquals(3.0, w.perSecond().get("t"), 1e-9, "a counter that went back counts from its new value");
        assertEquals(30L, w.latest().get("t"));
    }

    @Test
    void deadLetterPreviewsShowTextAndNameBinary() {
        assertEquals("{\"id\": 1,\u00b7\"x\"", DeadLetterReader.preview("{\"id\": 1,\n\"x\"".getBytes(StandardCharsets.UTF_8)));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0, 0, 0, (byte) 0xff, (byte) 0xfe };
        assertEquals("(9 bytes, not text)", DeadLetterReader.preview(png));
        assertEquals(DeadLetterReader.PREVIEW_CHARS, DeadLetterReader.preview("é".repeat(2_000)
                .getBytes(StandardCharsets.UTF_8)).length());
    }
}
