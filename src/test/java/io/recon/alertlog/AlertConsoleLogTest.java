package io.recon.alertlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The alert log's one-line form, which is what an analyst watching the console reads. */
class AlertConsoleLogTest {

    @Test
    void aNumericContributionShowsHowFarOffItIsAndACategoryDoesNot() {
        AlertConsoleLog log = new AlertConsoleLog();
        log.mapper = new ObjectMapper();
        String alert = """
                {"severity":"critical","eventId":"e-1","alertScore":"iwae","score":1092.24,"threshold":167.93,
                 "percentile":99.91,"topContributions":[
                  {"feature":"src_tcp_win","observed":0,"expected":0,"share":0.42,"deviation":-6.3},
                  {"feature":"tcp_opts","observed":"MwsS__T","expected":"Mws___T","share":0.01,"deviation":null}]}""";
        assertEquals("ALERT CRITICAL e-1  iwae=1092.24 > 167.93 (p99.91)  src_tcp_win=0 (expected 0, -6.3 sd, 42%)"
                + "  tcp_opts=MwsS__T (expected Mws___T, 1%)", log.line(alert));
    }

    @Test
    void anExplanationPrintsItsSentenceUnderTheAlertsId() {
        AlertConsoleLog log = new AlertConsoleLog();
        log.mapper = new ObjectMapper();
        assertEquals("WHY      e-1  urg_count 1, where 0 is normal (given proto tcp, state FIN).",
                log.why("{\"eventId\":\"e-1\",\"sentence\":\"urg_count 1, where 0 is normal (given proto tcp, "
                        + "state FIN).\"}"));
    }
}
