package dev.whereabouts.bench.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one fault did: calls and how the failed ones failed, and what the store holds once it is
 * back and the daemon has retried what was queued.
 *
 * @param fault the fault
 * @param calls every plugin exec
 * @param codes failed calls by CNI code (-1: stdout was not exactly one CNI error object)
 * @param duplicates addresses handed to two live containers
 * @param leaked addresses or reservations held by containers that are not live (DEL succeeded, or ADD failed and DEL succeeded)
 * @param lost live containers whose address the store does not hold
 * @param pending journal entries still unsettled when the suite stopped waiting
 * @param recovery seconds from the fault's end until calls succeed again
 * @param drain seconds the daemon took to settle queued releases after the load stopped
 */
record FaultResult(FaultKind fault, int calls, Map<Integer, Long> codes, List<String> duplicates, List<String> leaked,
        List<String> lost, int pending, Optional<Double> recovery, double drain) {

    FaultResult {
        codes = new TreeMap<>(codes);
    }

    long failed() {
        return codes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Everything that breaks the suite's promises (timings are reported, not judged). */
    List<String> violations() {
        List<String> v = new ArrayList<>();
        duplicates.forEach(d -> v.add(fault + ": duplicate " + d));
        leaked.forEach(l -> v.add(fault + ": leaked " + l));
        lost.forEach(l -> v.add(fault + ": lost " + l));
        codes.keySet().stream().filter(c -> c != 11).forEach(c -> v.add(fault + ": " + codes.get(c)
                + " failed calls answered " + (c < 0 ? "no single CNI error" : "code " + c) + " instead of 11"));
        if (pending > 0) {
            v.add(fault + ": " + pending + " journal entries still unsettled");
        }
        if (recovery.isEmpty()) {
            v.add(fault + ": no call succeeded after the fault ended");
        }
        return v;
    }

    static String header() {
        return "| fault | store | calls | failed (codes) | duplicates | leaked | lost | pending | recovery | release drain |\n"
                + "|---|---|---|---|---|---|---|---|---|---|";
    }

    String row() {
        String failedText = failed() == 0 ? "0" : failed() + " (" + codes.entrySet().stream()
                .map(e -> (e.getKey() < 0 ? "not CNI" : "code " + e.getKey()) + " ×" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
        return "| %s | %s | %d | %s | %d | %d | %d | %d | %s | %.2f s |".formatted(fault.what, fault.store(), calls,
                failedText, duplicates.size(), leaked.size(), lost.size(), pending,
                recovery.map(r -> "%.2f s".formatted(r)).orElse("never"), drain);
    }
}
