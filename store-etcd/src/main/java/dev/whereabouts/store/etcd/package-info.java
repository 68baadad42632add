/**
 * The {@code etcd} datastore.
 *
 * <h2>Key layout</h2>
 * Everything lives under the configured prefix {@code P} ({@code etcd_prefix}, default
 * {@code /whereabouts}), so several clusters can share one etcd:
 * <pre>
 * P/pools/&lt;pool&gt;                      range, network name, node name (3 lines)
 * P/allocations/&lt;pool&gt;/&lt;address hex&gt;  containerId, ifName, podRef (3 lines)
 * P/reservations/&lt;network&gt;/&lt;address&gt;  network, address, containerId, ifName, podRef (5 lines)
 * P/locks/&lt;pool&gt;/&lt;lease id&gt;          etcd lock service keys while a pool is contended (see PoolTurns)
 * </pre>
 * {@code <pool>} is upstream's object name of the pool ({@code PoolKey.objectName()}, e.g.
 * {@code tenant-a-10.0.0.0-16}); {@code <address hex>} is the address as 8 (IPv4) or 32 (IPv6)
 * hex digits, fixed width so that etcd's key order is address order; {@code <network>} is the
 * {@code network_name}, or {@code _} for the default network. {@code %} and {@code /} in names are
 * percent-escaped, as are {@code %} and newlines in values. Two pool keys with the same object name
 * share one pool, as they share one {@code IPPool} object upstream.
 *
 * <h2>Why this shape</h2>
 * <ul>
 *   <li><b>Scale.</b> One key per allocation: a full /16 (65,534 allocations) is 65,534 values of
 *       about 60 bytes, far from etcd's 1.5 MiB request limit, and an ADD writes three keys (the
 *       allocation, its reservation, the pool's meta key) instead of rewriting the pool, as
 *       upstream's single-value layout did.</li>
 *   <li><b>Version.</b> The pool's version is the mod revision of its meta key. Every commit
 *       rewrites the meta key, so every commit yields a new version, equal to the revision of the
 *       transaction that wrote it.</li>
 *   <li><b>Atomicity.</b> A commit is one transaction: <em>if</em> the meta key's mod revision is
 *       the expected version (create revision 0 for a new pool) <em>and</em> each reservation it
 *       writes is still what the commit believes (absent, or held by the same attachment at the
 *       mod revision read) <em>then</em> write the allocations, the reservations and the meta key,
 *       <em>else</em> read back the meta key and those reservations. A crash can never leave an
 *       allocation without its reservation, or the reverse.</li>
 *   <li><b>Round trips.</b> The first attempt guesses instead of reading: a reservation to create is
 *       assumed absent, one to remove is assumed to hold exactly the given owner (checked by value).
 *       A wrong guess costs one more transaction, fed by what the failed one read back.</li>
 *   <li><b>Reads.</b> A pool is read with one transaction (meta key plus the first page of
 *       allocations, one revision), then further pages at that same revision: a consistent
 *       snapshot without any response near gRPC's message limit.</li>
 *   <li><b>Big changes.</b> etcd refuses transactions of more than {@code --max-txn-ops} (128)
 *       operations. A larger change (a big GC) is split into transactions of whole addresses
 *       (an allocation always with its reservations), each guarded by the previous one's version,
 *       after a check that none of its reservations is taken. If another writer interleaves, the
 *       commit answers {@code Conflict} with a prefix written; each address is still all or
 *       nothing.</li>
 * </ul>
 *
 * <h2>Faults</h2>
 * Every RPC carries a gRPC deadline of {@code etcd_timeout_ms}, and every call waits at most that
 * long; calls fail fast while no endpoint is reachable. Any failure to talk to etcd (unreachable,
 * timeout, TLS, authentication) is a {@code StoreUnavailableException} (CNI code 11) whose details
 * name the endpoints and the cause. {@code close()} shuts the client down; its threads are daemons
 * and end shortly after.
 */
package dev.whereabouts.store.etcd;
