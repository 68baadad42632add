package dev.whereabouts.bench.fault;

import dev.whereabouts.bench.burst.CniCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every call of one scenario with its start and end (nanoseconds on the scenario's clock). */
final class CallLog {

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

    /** One plugin exec. */
    record Call(String command, String container, long start, long end, CniCall result) {

        boolean ok() {
            return result.ok();
        }

        /** The CNI error code, or -1 when stdout is not exactly one CNI error object. */
        int code() {
            String out = result.stdout().strip();
            Matcher m = CODE.matcher(out);
            if (!out.startsWith("{") || !out.endsWith("}") || !m.find()) {
                return -1;
            }
            int code = Integer.parseInt(m.group(1));
            return m.find() || out.indexOf('{', 1) > 0 ? -1 : code;
        }
    }

    private final List<Call> calls = new ArrayList<>();

    synchronized void add(Call call) {
        calls.add(call);
    }

    synchronized List<Call> all() {
        return List.copyOf(calls);
    }

    /** Every call as a tab-separated line (start and end in seconds), for reading a run afterwards. */
    void write(java.nio.file.Path file, long healed) {
        StringBuilder sb = new StringBuilder("start\tend\tcommand\tcontainer\texit\tstdout\tstderr\n");
        for (Call c : all()) {
            String err = c.result().stderr().strip().replace('\n', ' ');
            sb.append("%.3f\t%.3f\t%s\t%s\t%d\t%s\t%s%n".formatted((c.start() - healed) / 1e9, (c.end() - healed) / 1e9,
                    c.command(), c.container(), c.result().exit(), c.result().stdout().strip().replace('\n', ' '),
                    err.substring(0, Math.min(err.length(), 400))));
        }
        try {
            java.nio.file.Files.writeString(file, sb);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Failed calls, for the report: {@code code 11 ×N}. */
    List<Call> failed() {
        return all().stream().filter(c -> !c.ok()).toList();
    }

    /**
     * Seconds from {@code healed} until calls succeed again: the end of the first successful call
     * that started after the last failed call started after {@code healed} (after {@code healed}
     * itself when none failed). Empty when no call succeeded after it.
     */
    Optional<Double> recovery(long healed) {
        List<Call> after = all().stream().filter(c -> c.start() >= healed).toList();
        long lastFailure = after.stream().filter(c -> !c.ok()).mapToLong(Call::start).max().orElse(healed);
        return after.stream().filter(c -> c.ok() && c.start() >= lastFailure).mapToLong(Call::end).min()
                .stream().mapToObj(end -> (end - healed) / 1e9).findFirst();
    }
}
