package dev.whereabouts.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static Instant next(String expr, String after) {
        return CronSchedule.parse(expr).nextAfter(Instant.parse(after));
    }

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = ';', value = {
        // upstream's default: daily 04:30 UTC
        "30 4 * * *;    2026-03-01T00:00:00Z; 2026-03-01T04:30:00Z",
        "30 4 * * *;    2026-03-01T04:30:00Z; 2026-03-02T04:30:00Z",
        "30 4 * * *;    2026-03-01T04:29:59Z; 2026-03-01T04:30:00Z",
        "30 4 * * *;    2026-12-31T05:00:00Z; 2027-01-01T04:30:00Z",
        "*/15 * * * *;  2026-03-01T10:07:00Z; 2026-03-01T10:15:00Z",
        "*/15 * * * *;  2026-03-01T10:45:00Z; 2026-03-01T11:00:00Z",
        "0 */6 * * *;   2026-03-01T13:00:00Z; 2026-03-01T18:00:00Z",
        "5-10/5 8 * * *; 2026-03-01T08:06:00Z; 2026-03-01T08:10:00Z",
        "0 0 29 2 *;    2026-03-01T00:00:00Z; 2028-02-29T00:00:00Z",
        "0 12 * * MON;  2026-03-01T00:00:00Z; 2026-03-02T12:00:00Z",
        "0 12 * * 7;    2026-03-02T00:00:00Z; 2026-03-08T12:00:00Z",
        "0 12 * * 0;    2026-03-02T00:00:00Z; 2026-03-08T12:00:00Z",
        "0 0 1 JAN,jul *; 2026-03-01T00:00:00Z; 2026-07-01T00:00:00Z",
        // both day fields restricted: either one fires (the 13th, or any Friday)
        "0 0 13 * 5;    2026-03-01T00:00:00Z; 2026-03-06T00:00:00Z",
        "0 0 13 * 5;    2026-03-07T00:00:00Z; 2026-03-13T00:00:00Z",
        // a stepped day-of-month is a restriction: the 1st, 3rd, ... or a Monday
        "0 0 */2 * 1;   2026-03-01T00:00:00Z; 2026-03-02T00:00:00Z",
        "@daily;        2026-03-01T10:00:00Z; 2026-03-02T00:00:00Z",
        "@hourly;       2026-03-01T10:00:00Z; 2026-03-01T11:00:00Z",
        "@weekly;       2026-03-02T10:00:00Z; 2026-03-08T00:00:00Z",
        "@monthly;      2026-03-02T10:00:00Z; 2026-04-01T00:00:00Z",
        "@yearly;       2026-03-02T10:00:00Z; 2027-01-01T00:00:00Z",
        "59 23 31 12 *; 2026-03-02T10:00:00Z; 2026-12-31T23:59:00Z",
    })
    void nextFireTime(String expr, String after, String expected) {
        assertEquals(Instant.parse(expected), next(expr.strip(), after.strip()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30 4 * *", "30 4 * * * *", "60 4 * * *", "30 24 * * *", "30 4 0 * *",
        "30 4 * 13 *", "30 4 * * 8", "*/0 * * * *", "a 4 * * *", "30 4 5-1 * *", "30,,4 * * * *", "@sometimes"})
    void refusesBadExpressions(String expr) {
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(expr));
    }

    @Test
    void anExpressionThatNeverFiresSaysSo() {
        CronSchedule never = CronSchedule.parse("0 0 31 2 *");
        assertThrows(IllegalStateException.class, () -> never.nextAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void successiveFireTimesAreStrictlyIncreasingWholeMinutes() {
        CronSchedule s = CronSchedule.parse("*/7 1-3 * * *");
        Instant t = Instant.parse("2026-03-01T00:00:00.123Z");
        for (int i = 0; i < 200; i++) {
            Instant n = s.nextAfter(t);
            assertTrue(n.isAfter(t));
            assertEquals(0, n.getEpochSecond() % 60);
            t = n;
        }
    }
}
