package dev.whereabouts.hammer;

import dev.whereabouts.hammer.OpLog.Entry;
import dev.whereabouts.hammer.OpLog.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One worker process: random ADD, DEL, repeated DEL and idempotent re-ADD on attachments of its
 * own, journalled in an {@link OpLog}. Killed and restarted at any moment, it rebuilds its state
 * from the journal and first DELs whatever it left half done, as a container runtime does.
 *
 * <p>Arguments: {@code CONFIG WORKER_ID SEED OPERATIONS JOURNAL [PLUGIN]}.
 */
public final class HammerWorker {

    private static final String IF_NAME = "net1";

    private final int id;
    private final Random random;
    private final PluginCall plugin;
    private final OpLog log;
    private final Map<Integer, String> live = new LinkedHashMap<>();
    private final List<Integer> deleted = new ArrayList<>();
    private long seq;
    private int nextAttachment;

    private HammerWorker(int id, Random random, PluginCall plugin, OpLog log) {
        this.id = id;
        this.random = random;
        this.plugin = plugin;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        int id = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        int operations = Integer.parseInt(args[3]);
        Path journal = Path.of(args[4]);
        Path pluginPath = args.length > 5 ? Path.of(args[5]) : null;
        List<Entry> history = OpLog.read(journal);
        Random random = new Random(seed * 1_000_003L + id * 7919L + history.size());
        try (PluginCall plugin = new PluginCall(config, pluginPath); OpLog log = new OpLog(journal)) {
            HammerWorker worker = new HammerWorker(id, random, plugin, log);
            List<Integer> unfinished = worker.recover(history);
            for (int attachment : unfinished) {
                worker.del(attachment);
            }
            int done = (int) history.stream().filter(e -> !e.begin()).count();
            while (done < operations) {
                worker.step();
                done++;
            }
        }
        System.exit(0);
    }

    /** Replays the journal; returns the attachments whose last operation began but never ended. */
    private List<Integer> recover(List<Entry> history) {
        Map<Integer, Entry> last = new LinkedHashMap<>();
        for (Entry e : history) {
            int n = attachmentNumber(e.containerId());
            nextAttachment = Math.max(nextAttachment, n + 1);
            seq = Math.max(seq, e.seq() + 1);
            last.put(n, e);
            if (!e.begin() && e.ok()) {
                if (e.op() == Op.ADD) {
                    live.put(n, e.ip());
                } else {
                    live.remove(n);
                    deleted.add(n);
                }
            }
        }
        List<Integer> unfinished = new ArrayList<>();
        last.forEach((n, e) -> {
            if (e.begin() || !e.ok()) {
                unfinished.add(n);
            }
        });
        return unfinished;
    }

    private void step() throws Exception {
        double r = random.nextDouble();
        if (live.size() < 2 || r < 0.45) {
            add(nextAttachment++);
        } else if (r < 0.75) {
            del(pick(new ArrayList<>(live.keySet())));
        } else if (r < 0.85 && !deleted.isEmpty()) {
            del(pick(deleted));
        } else {
            add(pick(new ArrayList<>(live.keySet())));
        }
    }

    private void add(int n) throws Exception {
        long s = seq++;
        log.begin(s, Op.ADD, containerId(n), IF_NAME);
        PluginCall.Outcome o = plugin.add(containerId(n), IF_NAME, podName(n));
        log.end(s, Op.ADD, containerId(n), IF_NAME, o.ok() ? "OK" : "ERR" + o.code(), o.ip());
        if (o.ok()) {
            live.put(n, o.ip());
        } else {
            // The runtime follows a failed ADD with a DEL; so do we.
            del(n);
        }
    }

    private void del(int n) throws Exception {
        long s = seq++;
        log.begin(s, Op.DEL, containerId(n), IF_NAME);
        PluginCall.Outcome o = plugin.del(containerId(n), IF_NAME, podName(n));
        log.end(s, Op.DEL, containerId(n), IF_NAME, o.ok() ? "OK" : "ERR" + o.code(), "-");
        if (o.ok()) {
            live.remove(n);
            deleted.add(n);
        }
    }

    private int pick(List<Integer> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String containerId(int n) {
        return "w" + id + "c" + n;
    }

    private String podName(int n) {
        return "w" + id + "-p" + n;
    }

    private static int attachmentNumber(String containerId) {
        return Integer.parseInt(containerId.substring(containerId.indexOf('c') + 1));
    }
}
