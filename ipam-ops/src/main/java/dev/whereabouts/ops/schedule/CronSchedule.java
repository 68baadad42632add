package dev.whereabouts.ops.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A standard 5-field cron expression ({@code minute hour day-of-month month day-of-week}) evaluated in
 * UTC, as upstream's reconciler schedule ({@code reconciler_cron_expression}, default
 * {@value #DEFAULT_EXPRESSION}).
 *
 * <p>Fields accept {@code *}, numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists,
 * month names {@code JAN}-{@code DEC} and day names {@code SUN}-{@code SAT}; day 7 is Sunday too. When
 * both day fields are restricted, a day matching either one fires (Vixie cron). The macros
 * {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @midnight} and {@code @hourly} are accepted.
 *
 * @since 0.1
 */
public final class CronSchedule {

    /** Upstream's default: daily at 04:30 UTC. */
    public static final String DEFAULT_EXPRESSION = "30 4 * * *";

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    /** Far enough to pass any leap-day-on-a-weekday combination; "30 4 31 2 *" never fires. */
    private static final int SEARCH_YEARS = 28;

    private final String expression;
    private final CronField minutes;
    private final CronField hours;
    private final CronField daysOfMonth;
    private final CronField months;
    private final CronField daysOfWeek;

    private CronSchedule(String expression, CronField minutes, CronField hours, CronField daysOfMonth,
            CronField months, CronField daysOfWeek) {
        this.expression = expression;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty cron expression");
        }
        String text = expression.strip();
        String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        String[] f = expanded.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("cron expression '" + text + "' must have 5 fields, not " + f.length);
        }
        CronField dow = CronField.parse(f[4], "day-of-week", 0, 7, DAYS, 0);
        return new CronSchedule(text,
                CronField.parse(f[0], "minute", 0, 59, List.of(), 0),
                CronField.parse(f[1], "hour", 0, 23, List.of(), 0),
                CronField.parse(f[2], "day-of-month", 1, 31, List.of(), 0),
                CronField.parse(f[3], "month", 1, 12, MONTHS, 1),
                dow);
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /**
     * The first fire time strictly after {@code after}, at a whole minute, in UTC.
     *
     * @throws IllegalStateException when the expression never fires (such as 31 February)
     */
    public Instant nextAfter(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate limit = t.toLocalDate().plusYears(SEARCH_YEARS);
        LocalDate day = t.toLocalDate();
        boolean firstDay = true;
        while (!day.isAfter(limit)) {
            if (!months.allows(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
                firstDay = false;
                continue;
            }
            if (dayMatches(day)) {
                int fromHour = firstDay ? t.getHour() : 0;
                for (int h = hours.nextFrom(fromHour); h >= 0; h = hours.nextFrom(h + 1)) {
                    int fromMinute = firstDay && h == t.getHour() ? t.getMinute() : 0;
                    int m = minutes.nextFrom(fromMinute);
                    if (m >= 0) {
                        return day.atTime(h, m).toInstant(ZoneOffset.UTC);
                    }
                }
            }
            day = day.plusDays(1);
            firstDay = false;
        }
        throw new IllegalStateException("cron expression '" + expression + "' never fires");
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.allows(day.getDayOfMonth());
        int dowValue = day.getDayOfWeek().getValue() % 7;
        boolean dow = daysOfWeek.allows(dowValue) || (dowValue == 0 && daysOfWeek.allows(7));
        if (daysOfMonth.star() || daysOfWeek.star()) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return expression;
    }
}
