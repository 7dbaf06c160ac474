package io.recon.console;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One server-sent event of the console's live stream: a new alert, an alert now explained, a new
 * dead letter, or a keep-alive ping (so that proxies keep the stream open and the page can tell a
 * quiet stream from a dead one).
 *
 * @param type       {@code alert}, {@code explained}, {@code dead-letter} or {@code ping}
 * @param alert      the alert's summary (alert, explained)
 * @param deadLetter the dead letter (dead-letter)
 * @param at         when it was sent (epoch ms)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsoleUpdate(String type, AlertSummary alert, DeadLetter deadLetter, long at) {

    static ConsoleUpdate alert(AlertSummary alert) {
        return new ConsoleUpdate("alert", alert, null, System.currentTimeMillis());
    }

    static ConsoleUpdate explained(AlertSummary alert) {
        return new ConsoleUpdate("explained", alert, null, System.currentTimeMillis());
    }

    static ConsoleUpdate deadLetter(DeadLetter deadLetter) {
        return new ConsoleUpdate("dead-letter", null, deadLetter, System.currentTimeMillis());
    }

    static ConsoleUpdate ping() {
        return new ConsoleUpdate("ping", null, null, System.currentTimeMillis());
    }
}
