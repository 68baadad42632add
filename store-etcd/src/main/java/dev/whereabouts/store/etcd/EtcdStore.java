package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The etcd-backed {@link IpamStore}; one jetcd client, shared by all threads. */
final class EtcdStore implements IpamStore, ContentionLock {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final EtcdSettings settings;
    private final KeyLayout layout;
    private final Calls calls;
    private final ExecutorService executor;
    /** Every thread of {@link #executor}: a terminated pool's last worker may still be exiting. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Client client;
    private final Reconnect reconnect = new Reconnect();
    private final KV kv;
    private final Ranges ranges;
    private final Committer committer;
    private final PoolFeeds feeds;
    /** Made on first use: most clients never see a contended pool, and need no lock or lease stubs. */
    private PoolTurns turns;

    EtcdStore(EtcdSettings settings) {
        this.settings = settings;
        this.layout = new KeyLayout(settings.prefix());
        this.calls = new Calls(settings, reconnect);
        // Our own daemon pool, so that close() can wait until its threads are gone.
        int id = CLIENTS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "whereabouts-etcd-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            threads.removeIf(old -> !old.isAlive()); // idle workers end after a minute: keep the list short
            threads.add(t);
            return t;
        });
        ClientBuilder builder = Client.builder()
                .endpoints(settings.endpoints().toArray(URI[]::new))
                .executorService(executor)
                .connectTimeout(settings.timeout())
                .retryMaxDuration(settings.timeout())
                .retryMaxAttempts(2)
                .retryDelay(100)
                .retryMaxDelay(1000)
                // Attempts after an outage are made on demand (Reconnect), not on gRPC's timer.
                // Fail fast while etcd is down instead of queueing calls until it is back.
                .waitForReady(false)
                .maxInboundMessageSize(32 * 1024 * 1024)
                .interceptor(calls.deadlines(), reconnect);
        if (!settings.username().isEmpty()) {
            builder.user(KeyLayout.bytes(settings.username())).password(KeyLayout.bytes(settings.password()));
        }
        try {
            if (settings.tls()) {
                // One authority for all endpoints: gRPC verifies every server against it.
                builder.sslContext(TlsFiles.sslContext(settings)).authority(settings.endpoints().getFirst().getHost());
            }
            this.client = builder.build();
            reconnect.attach(client);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        this.kv = client.getKVClient();
        this.ranges = new Ranges(kv, calls);
        this.committer = new Committer(kv, layout, calls, settings.maxTxnOps());
        this.feeds = new PoolFeeds(client::getWatchClient, layout);
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        ByteSequence meta = layout.meta(key);
        ByteSequence allocations = layout.allocations(key);
        long deadline = calls.deadline();
        // Meta and the first page in one transaction: both at one revision.
        TxnResponse r = calls.run(deadline, "read pool " + key, () -> kv.txn()
                .Then(Op.get(meta, GetOption.DEFAULT),
                        Op.get(allocations, GetOption.builder().isPrefix(true).withLimit(Ranges.PAGE).build()))
                .commit());
        GetResponse metaGet = r.getGetResponses().get(0);
        GetResponse first = r.getGetResponses().get(1);
        if (metaGet.getKvs().isEmpty()) {
            PoolSnapshot absent = PoolSnapshot.absent(key);
            feeds.read(absent, r.getHeader().getRevision());
            return absent;
        }
        List<KeyValue> kvs = new ArrayList<>(first.getKvs());
        ranges.rest(deadline, allocations, r.getHeader().getRevision(), first.isMore(), kvs);
        TreeMap<IpAddress, Owner> out = new TreeMap<>();
        for (KeyValue kv : kvs) {
            out.put(KeyLayout.addressOf(kv.getKey()), Values.owner(kv));
        }
        PoolSnapshot read = new PoolSnapshot(key,
                new PoolVersion(Long.toString(metaGet.getKvs().getFirst().getModRevision())), out);
        feeds.read(read, r.getHeader().getRevision());
        return read;
    }

    @Override
    public Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seen, Duration maxWait) {
        return settings.watchPools() ? feeds.awaitNewer(key, seen, maxWait) : Optional.empty();
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        return committer.commit(key, expected, change);
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        return turns().awaitTurn(pool, maxWait);
    }

    @Override
    public boolean turnTakenElsewhere(PoolKey pool) {
        return turns().turnTakenElsewhere(pool);
    }

    private synchronized PoolTurns turns() {
        if (turns == null) {
            turns = new PoolTurns(client.getLockClient(), client.getLeaseClient(), layout, kv, client::getWatchClient, executor);
        }
        return turns;
    }

    @Override
    public List<PoolKey> pools() {
        return ranges.all(layout.allPools()).stream().map(Values::pool).toList();
    }

    @Override
    public List<Reservation> reservations() {
        return ranges.all(layout.allReservations()).stream().map(Values::reservation).toList();
    }

    @Override
    public boolean removeReservation(Reservation reservation) {
        ByteSequence key = layout.reservation(reservation.networkName(), reservation.ip());
        long deadline = calls.deadline();
        for (int attempt = 0; attempt < 16; attempt++) {
            GetResponse got = calls.run(deadline, "get " + key.toString(StandardCharsets.UTF_8), () -> kv.get(key));
            if (got.getKvs().isEmpty()) {
                return false;
            }
            KeyValue held = got.getKvs().getFirst();
            if (!Values.reservation(held).owner().sameAttachment(reservation.owner())) {
                return false;
            }
            TxnResponse r = calls.run(deadline, "remove reservation " + reservation.objectName(), () -> kv.txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(held.getModRevision())))
                    .Then(Op.delete(key, DeleteOption.DEFAULT))
                    .commit());
            if (r.isSucceeded()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkAvailable() {
        // A linearizable read needs a quorum and passes auth: the same things an ADD needs.
        calls.run("availability check", () -> kv.get(layout.allPools(),
                GetOption.builder().isPrefix(true).withLimit(1).withKeysOnly(true).build()));
    }

    @Override
    public void close() {
        try {
            feeds.close();
            synchronized (this) {
                if (turns != null) {
                    turns.close();
                }
            }
            client.close();
        } finally {
            executor.shutdownNow();
            try {
                long end = System.nanoTime() + settings.timeout().toNanos();
                executor.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
                for (Thread t : threads) {
                    t.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "EtcdStore" + settings;
    }
}
