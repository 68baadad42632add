package dev.whereabouts.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every key under a prefix in pages, all pages at one revision, so that a pool of 65,534
 * allocations is read consistently without any single response near gRPC's message limit.
 */
final class Ranges {

    /** About 200 bytes per allocation on the wire: a page stays near 1 MiB. */
    static final int PAGE = 5_000;

    private final KV kv;
    private final Calls calls;

    Ranges(KV kv, Calls calls) {
        this.kv = kv;
        this.calls = calls;
    }

    /** The keys under {@code prefix} at the newest revision. */
    List<KeyValue> all(ByteSequence prefix) {
        long deadline = calls.deadline();
        GetResponse first = calls.run(deadline, "range " + prefix, () -> kv.get(prefix,
                GetOption.builder().isPrefix(true).withLimit(PAGE).build()));
        List<KeyValue> out = new ArrayList<>(first.getKvs());
        rest(deadline, prefix, first.getHeader().getRevision(), first.isMore(), out);
        return out;
    }

    /** Appends the pages after {@code out}'s last key, at {@code revision}, while {@code more}. */
    void rest(long deadline, ByteSequence prefix, long revision, boolean more, List<KeyValue> out) {
        ByteSequence end = KeyLayout.rangeEnd(prefix);
        while (more && !out.isEmpty()) {
            ByteSequence after = out.getLast().getKey().concat(ByteSequence.from(new byte[] {0}));
            GetResponse page = calls.run(deadline, "range " + prefix, () -> kv.get(after,
                    GetOption.builder().withRange(end).withRevision(revision).withLimit(PAGE).build()));
            out.addAll(page.getKvs());
            more = page.isMore();
        }
    }
}
