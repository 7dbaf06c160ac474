package io.recon.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressMeterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String CLEAR = "\r\033[K";

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return Arrays.asList(written().split("\n"));
    }

    @Test
    void rateAndEtaAreTheMeanRateSoFar() {
        Estimate e = Estimate.of(25, 100, 5 * SECOND);
        assertEquals(5.0, e.elapsedSeconds(), 1e-12);
        assertEquals(5.0, e.rate(), 1e-12);
        assertEquals(15.0, e.etaSeconds(), 1e-12);
        assertTrue(Double.isNaN(Estimate.of(0, 100, 5 * SECOND).etaSeconds()), "no rate before the first unit");
        assertEquals(0.0, Estimate.of(0, 100, 0).rate());
        assertEquals(0.0, Estimate.of(100, 100, 7 * SECOND).etaSeconds());
        assertEquals("?", Estimate.clock(Double.NaN));
        assertEquals("0:07", Estimate.clock(7.4));
        assertEquals("12:05", Estimate.clock(725));
        assertEquals("1:02:03", Estimate.clock(3723));
        assertEquals("1234", Estimate.rate(1234.4));
        assertEquals("98.3", Estimate.rate(98.31));
        assertEquals("0.25", Estimate.rate(0.25));
    }

    @Test
    void plainLinesComeEachTenthOfFastWork() {
        ProgressMeter meter = new ProgressMeter(out, false, clock::get, 10 * SECOND, 100);
        meter.advance(0, 100, "rows");
        for (int i = 1; i <= 100; i++) {
            clock.addAndGet(SECOND / 100);
            meter.advance(i, 100, "rows");
        }
        List<String> lines = lines();
        assertEquals(10, lines.size(), written());
        assertEquals("progress 10/100 rows (10%)  100 rows/s  elapsed 0:00  ETA 0:01", lines.get(0));
        assertEquals("progress 100/100 rows (100%)  100 rows/s  elapsed 0:01  ETA 0:00", lines.get(9));
        assertFalse(written().contains("\r"), "no redraw off a terminal");
    }

    @Test
    void plainLinesComeEveryIntervalOfSlowWork() {
        ProgressMeter meter = new ProgressMeter(out, false, clock::get, 10 * SECOND, 100);
        // 1,000 steps of 3 s: a tenth is 300 s, so the 10 s interval sets the cadence.
        meter.advance(0, 1000, "steps", "epoch 1/5");
        for (int i = 1; i <= 20; i++) {
            clock.addAndGet(3 * SECOND);
            meter.advance(i, 1000, "steps", "epoch 1/5");
        }
        // Lines after 12 s (step 4), 24 s (8), 36 s (12), 48 s (16), 60 s (20).
        List<String> lines = lines();
        assertEquals(5, lines.size(), written());
        assertEquals("progress 4/1,000 steps (0%)  0.33 steps/s  elapsed 0:12  ETA 49:48  epoch 1/5", lines.get(0));
        assertTrue(lines.get(4).startsWith("progress 20/1,000 steps (2%)  0.33 steps/s  elapsed 1:00  ETA 49:00"),
                lines.get(4));
    }

    @Test
    void aNewTotalStartsANewPhaseWithItsOwnClock() {
        ProgressMeter meter = new ProgressMeter(out, false, clock::get, 10 * SECOND, 100);
        clock.addAndGet(100 * SECOND);
        meter.advance(10, 10, "epochs");
        meter.advance(0, 4, "data sets");
        clock.addAndGet(2 * SECOND);
        meter.advance(1, 4, "data sets");
        List<String> lines = lines();
        assertEquals(2, lines.size(), written());
        assertTrue(lines.get(0).startsWith("progress 10/10 epochs (100%)"), lines.get(0));
        assertEquals("progress 1/4 data sets (25%)  0.50 data sets/s  elapsed 0:02  ETA 0:06", lines.get(1));
    }

    @Test
    void aTerminalRedrawsOneLineWithBarRateAndEta() {
        ProgressMeter meter = new ProgressMeter(out, true, clock::get, 10 * SECOND, 120);
        meter.advance(0, 100, "steps", "epoch 1/2");
        clock.addAndGet(SECOND / 10);
        meter.advance(1, 100, "steps", "epoch 1/2"); // within 200 ms of the last drawing: not drawn
        clock.addAndGet(10 * SECOND - SECOND / 10);
        meter.advance(50, 100, "steps", "epoch 1/2  loss 0.1234");
        String expected = CLEAR + "[........................]   0%  0/100 steps  0.00 steps/s  ETA ?  epoch 1/2"
                + CLEAR + "[############............]  50%  50/100 steps  5.00 steps/s  ETA 0:10  epoch 1/2"
                + "  loss 0.1234";
        assertEquals(expected, written());

        meter.accept("  epoch   1/2  loss 0.1234 nats/row");
        assertEquals(expected + CLEAR + "  epoch   1/2  loss 0.1234 nats/row\n"
                + "[############............]  50%  50/100 steps  5.00 steps/s  ETA 0:10  epoch 1/2  loss 0.1234",
                written(), "a line that stays goes above the bar, which is drawn again");

        clock.addAndGet(10 * SECOND);
        meter.advance(100, 100, "steps", "epoch 2/2");
        assertTrue(written().endsWith(CLEAR + "[########################] 100%  100/100 steps  5.00 steps/s  ETA 0:00"
                + "  epoch 2/2\n"), written());
    }

    @Test
    void aTerminalLineIsCutToTheWidth() {
        ProgressMeter meter = new ProgressMeter(out, true, clock::get, 10 * SECOND, 40);
        meter.advance(3, 10, "steps", "a long note that does not fit");
        String drawn = written().substring(CLEAR.length());
        assertEquals(39, drawn.length(), drawn);
        assertTrue(drawn.startsWith("[#######.................]  30%  3/10"), drawn);
    }

    @Test
    void finishEndsTheBarsLine() {
        ProgressMeter meter = new ProgressMeter(out, true, clock::get, 10 * SECOND, 100);
        meter.advance(3, 10, "steps");
        meter.finish();
        assertTrue(written().endsWith("\n"));
        meter.accept("done");
        assertTrue(written().endsWith("\ndone\n"), "no clearing once the bar is finished: " + written());
    }

    @Test
    void columnsFallBackToAHundred() {
        assertEquals(132, ProgressMeter.columns("132"));
        assertEquals(100, ProgressMeter.columns(null));
        assertEquals(100, ProgressMeter.columns("wide"));
        assertEquals(100, ProgressMeter.columns("5"));
    }

    @Test
    void aStreamOtherThanTheStandardOutputGetsPlainLines() {
        // A command writing to a log file (tabular-benchmark's inner runs) never draws a bar there.
        assertFalse(ProgressMeter.forConsole(out).isTerminal());
    }
}
