package dev.whereabouts.ops.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Options and positional words of one {@code ctl} invocation; options may appear anywhere. */
final class CtlArgs {

    private static final Set<String> WITH_VALUE = Set.of("--config", "-o", "--output", "--ip", "--pod", "--pool",
            "--network", "--leftover-wait", "--pod-grace", "--attachments-dir");
    private static final Set<String> FLAGS = Set.of("--yes", "-y", "--dry-run", "-h", "--help");

    final List<String> words = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    /** Thrown for a bad command line; the message is shown with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static CtlArgs parse(String[] args) {
        CtlArgs a = new CtlArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (WITH_VALUE.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    v = args[++i];
                }
                a.values.put(canonical(name), v);
            } else if (FLAGS.contains(name)) {
                a.flags.add(canonical(name));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                a.words.add(arg);
            }
        }
        return a;
    }

    private static String canonical(String name) {
        return switch (name) {
            case "-o" -> "--output";
            case "-y" -> "--yes";
            case "-h" -> "--help";
            default -> name;
        };
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    boolean json() {
        String o = values.getOrDefault("--output", "table");
        return switch (o) {
            case "json" -> true;
            case "table", "wide" -> false;
            default -> throw new UsageException("output format must be table or json, not " + o);
        };
    }

    String word(int index, String what) {
        if (words.size() <= index) {
            throw new UsageException("missing " + what);
        }
        return words.get(index);
    }

    long seconds(String name, long dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        String t = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number of seconds, not " + v);
        }
    }
}
