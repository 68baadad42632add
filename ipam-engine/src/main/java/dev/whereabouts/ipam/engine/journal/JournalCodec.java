package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.config.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A journal record as JSON. Records written before states existed have no {@code state} and read
 * as {@link JournalRecord.State#HELD}: that is what they meant.
 */
final class JournalCodec {

    private JournalCodec() {}

    static byte[] encode(JournalRecord record) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("containerId", record.attachment().containerId());
        doc.put("ifName", record.attachment().ifName());
        doc.put("podRef", record.podRef());
        doc.put("state", record.state().name());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (JournalRecord.Entry e : record.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("range", e.pool().range().toString());
            m.put("networkName", e.pool().networkName());
            m.put("nodeName", e.pool().nodeName());
            if (e.ip() != null) {
                m.put("ip", e.ip().toString());
            }
            entries.add(m);
        }
        doc.put("entries", entries);
        if (!record.store().datastore().isEmpty()) {
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("datastore", record.store().datastore());
            store.put("overlappingRanges", record.store().overlappingRanges());
            store.put("timeoutMs", record.store().timeout().toMillis());
            store.put("section", record.store().section());
            doc.put("store", store);
        }
        return Json.writeBytes(doc);
    }

    @SuppressWarnings("unchecked")
    static JournalRecord decode(byte[] bytes) {
        Map<String, Object> doc = Json.parseObject(bytes, "attachment journal");
        List<JournalRecord.Entry> entries = new ArrayList<>();
        for (Object o : (List<Object>) doc.getOrDefault("entries", List.of())) {
            Map<String, Object> m = (Map<String, Object>) o;
            PoolKey key = new PoolKey(Cidr.parse((String) m.get("range")), (String) m.get("networkName"),
                    (String) m.get("nodeName"));
            String ip = (String) m.get("ip");
            entries.add(new JournalRecord.Entry(key, ip == null ? null : IpAddress.parse(ip)));
        }
        JournalRecord.StoreRef ref = JournalRecord.StoreRef.NONE;
        if (doc.get("store") instanceof Map<?, ?> s) {
            ref = new JournalRecord.StoreRef((String) s.get("datastore"), (Map<String, Object>) s.get("section"),
                    Boolean.TRUE.equals(s.get("overlappingRanges")),
                    Duration.ofMillis(((Number) s.get("timeoutMs")).longValue()));
        }
        return new JournalRecord(new AttachmentId((String) doc.get("containerId"), (String) doc.get("ifName")),
                (String) doc.getOrDefault("podRef", ""), entries,
                JournalRecord.State.valueOf((String) doc.getOrDefault("state", "HELD")), ref);
    }
}
