package dev.whereabouts.ops.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The next fire time agrees with a minute-by-minute scan. */
class CronScheduleProperties {

    @Property(tries = 300)
    void nextFireIsTheFirstMatchingMinute(@ForAll @IntRange(min = 0, max = 59) int minute,
            @ForAll @IntRange(min = 1, max = 12) int step, @ForAll @IntRange(min = 0, max = 23) int hour,
            @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long epoch) {
        String expr = minute + " " + hour + "-23/" + step + " * * *";
        Instant after = Instant.ofEpochSecond(epoch);
        Instant got = CronSchedule.parse(expr).nextAfter(after);
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1);
        while (!(t.getMinute() == minute && t.getHour() >= hour && (t.getHour() - hour) % step == 0)) {
            t = t.plusMinutes(1);
        }
        org.junit.jupiter.api.Assertions.assertEquals(t.toInstant(ZoneOffset.UTC), got, expr);
    }
}
