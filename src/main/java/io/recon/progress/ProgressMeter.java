package io.recon.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command for a person or a log. On a terminal it redraws one line, at most every
 * {@link #REDRAW_NANOS}: a bar, done/total, rate and ETA, and the latest note; lines that stay are
 * printed above it. Elsewhere (CI, logs, pipes) it prints a plain line with the same figures every
 * {@code lineEvery} nanoseconds or each tenth of the work, whichever comes first, and when a phase
 * ends. The clock is injected, so tests drive the cadence.
 */
public final class ProgressMeter implements Progress {

    /** A terminal's bar is redrawn at most this often (5 a second). */
    public static final long REDRAW_NANOS = 200_000_000L;

    /** A plain line at least this often while work goes on (and at each tenth of it). */
    public static final long LINE_EVERY_NANOS = 10_000_000_000L;

    /** Cells of the bar. */
    static final int BAR = 24;

    /** Environment variable that forces a mode: {@code terminal} or {@code lines}. */
    public static final String MODE_VARIABLE = "RECON_PROGRESS";

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long lineEvery;
    private final int width;

    private String unit = "";
    private long total = -1;
    private long done;
    private String note = "";
    private long phaseStarted;
    private long lastDrawn;
    private long lastLine;
    private long lastTenth;
    private boolean barShown;
    private boolean phaseReported;

    /**
     * @param out       where to write
     * @param terminal  redraw one line (true) or print periodic plain lines (false)
     * @param nanoTime  the clock, in nanoseconds ({@code System::nanoTime})
     * @param lineEvery nanoseconds between plain lines
     * @param width     the terminal's columns; a redrawn line is cut to fit
     */
    public ProgressMeter(PrintStream out, boolean terminal, LongSupplier nanoTime, long lineEvery, int width) {
        if (lineEvery <= 0 || width < 20) {
            throw new IllegalArgumentException("the line interval must be positive and the width at least 20");
        }
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.lineEvery = lineEvery;
        this.width = width;
    }

    /**
     * A meter on {@code out}: a redrawn bar when {@code out} is the standard output and the process
     * runs on a terminal ({@link System#console()} is not null), plain lines every 10 s otherwise (a
     * log file, a pipe, CI); {@value #MODE_VARIABLE} = {@code terminal} or {@code lines} overrides the
     * guess for the standard output, and {@code COLUMNS} sets the width.
     */
    public static ProgressMeter forConsole(PrintStream out) {
        String forced = System.getenv(MODE_VARIABLE);
        boolean terminal = out == System.out && (forced == null || forced.isBlank() ? System.console() != null
                : "terminal".equalsIgnoreCase(forced.trim()));
        return new ProgressMeter(out, terminal, System::nanoTime, LINE_EVERY_NANOS, columns(System.getenv("COLUMNS")));
    }

    /** Columns from a {@code COLUMNS} value; 100 when it is missing or not a sensible number. */
    static int columns(String value) {
        try {
            int c = value == null ? 100 : Integer.parseInt(value.trim());
            return c >= 20 ? c : 100;
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** Whether this meter redraws a bar (true) or prints plain lines. */
    public boolean isTerminal() {
        return terminal;
    }

    @Override
    public synchronized void accept(String line) {
        if (terminal && barShown) {
            out.print("\r\033[K");
            out.println(line);
            out.print(bar());
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public synchronized void advance(long done, long total, String unit, String note) {
        long now = nanoTime.getAsLong();
        if (total != this.total || !unit.equals(this.unit)) {
            finishPhase();
            this.total = total;
            this.unit = unit;
            phaseStarted = now;
            lastDrawn = Long.MIN_VALUE;
            lastLine = now;
            lastTenth = 0;
            phaseReported = false;
        }
        this.done = done;
        this.note = note == null ? "" : note;
        boolean complete = done >= total;
        if (terminal) {
            if (complete || lastDrawn == Long.MIN_VALUE || now - lastDrawn >= REDRAW_NANOS) {
                out.print("\r\033[K" + bar());
                out.flush();
                lastDrawn = now;
                barShown = true;
            }
            if (complete) {
                out.println();
                barShown = false;
                phaseReported = true;
            }
            return;
        }
        long tenth = total > 0 ? Math.min(10, done * 10 / total) : 0;
        if (complete ? !phaseReported : tenth > lastTenth || now - lastLine >= lineEvery) {
            out.println(line());
            out.flush();
            lastLine = now;
            lastTenth = tenth;
            phaseReported = complete;
        }
    }

    /** Ends the bar's line on a terminal, so what follows starts on a line of its own. */
    public synchronized void finish() {
        finishPhase();
    }

    private void finishPhase() {
        if (terminal && barShown) {
            out.println();
            out.flush();
            barShown = false;
        }
    }

    /** The plain line: "progress 450/1,000 steps (45%)  12.3 steps/s  elapsed 0:37  ETA 0:45  note". */
    String line() {
        Estimate e = Estimate.of(done, total, nanoTime.getAsLong() - phaseStarted);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "progress %,d/%,d %s (%d%%)  %s %s/s  "
                + "elapsed %s  ETA %s", done, total, unit, percent(), Estimate.rate(e.rate()), unit,
                Estimate.clock(e.elapsedSeconds()), Estimate.clock(e.etaSeconds())));
        if (!note.isEmpty()) {
            s.append("  ").append(note);
        }
        return s.toString();
    }

    /** The redrawn line: "[#########.......]  450/1,000 steps  12.3 steps/s  ETA 0:45  note", cut to the width. */
    String bar() {
        Estimate e = Estimate.of(done, total, nanoTime.getAsLong() - phaseStarted);
        int filled = total > 0 ? (int) Math.min(BAR, done * BAR / total) : 0;
        StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(BAR - filled))
                .append(String.format(Locale.ROOT, "] %3d%%  %,d/%,d %s  %s %s/s  ETA %s", percent(), done, total, unit,
                        Estimate.rate(e.rate()), unit, Estimate.clock(e.etaSeconds())));
        if (!note.isEmpty()) {
            s.append("  ").append(note);
        }
        // One column short of the width: a full line would wrap on some terminals and break the redraw.
        return s.length() < width ? s.toString() : s.substring(0, width - 1);
    }

    private int percent() {
        return total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
    }
}
