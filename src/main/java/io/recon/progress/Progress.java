package io.recon.progress;

import java.util.function.Consumer;

/**
 * Where long work reports: lines that stay (a model's losses, a warning, a result) and how far it
 * has got. A lambda or {@code out::println} is a {@code Progress} that prints the lines and ignores
 * the rest; {@link ProgressMeter} also draws a bar with rate and ETA on a terminal, or a periodic
 * plain line elsewhere.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = line -> { };

    /** A line that stays in the output. */
    void accept(String line);

    /**
     * The work has reached {@code done} of {@code total} {@code unit}s. A new total or unit starts a new
     * phase (its rate and ETA count from then). Ignored by default.
     *
     * @param note the latest figures worth showing beside the bar ("epoch 3/50  loss 0.1234"), or empty
     */
    default void advance(long done, long total, String unit, String note) {
    }

    /** {@link #advance(long, long, String, String)} without a note. */
    default void advance(long done, long total, String unit) {
        advance(done, total, unit, "");
    }

    /** This progress, every line also handed to {@code lines} (a command that keeps them for its report). */
    default Progress alsoTo(Consumer<String> lines) {
        Progress self = this;
        return new Progress() {
            @Override
            public void accept(String line) {
                self.accept(line);
                lines.accept(line);
            }

            @Override
            public void advance(long done, long total, String unit, String note) {
                self.advance(done, total, unit, note);
            }
        };
    }

    /** This progress's bar or periodic figures without its lines: for work whose lines a command keeps quiet. */
    default Progress withoutLines() {
        Progress self = this;
        return new Progress() {
            @Override
            public void accept(String line) {
            }

            @Override
            public void advance(long done, long total, String unit, String note) {
                self.advance(done, total, unit, note);
            }
        };
    }
}
