package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * ADD and DEL sequences through the public engine against a model: two ranges of different size
 * ({@code 10.0.0.0/29}: six addresses, {@code fd00::/126}: two), so exhaustion of the second range
 * exercises the all-or-nothing rollback of the first.
 */
class AllocationModelProperties {

    static final Cidr V4 = Cidr.parse("10.0.0.0/29");
    static final Cidr V6 = Cidr.parse("fd00::/126");

    /** The engine under test and the model, side by side. */
    static final class World {
        final String backend = UUID.randomUUID().toString();
        final Path journal;
        final Ipam ipam = Conf.engine();
        final IpamConfig config;
        /** pod index to its current container id and one address per range. */
        final Map<Integer, String> container = new HashMap<>();
        final List<Map<Integer, IpAddress>> held = List.of(new HashMap<>(), new HashMap<>());

        World() {
            try {
                journal = Files.createTempDirectory(Files.createDirectories(Path.of("target", "jqwik-journals").toAbsolutePath()), "model");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config = Conf.load(ipam, Conf.on(backend, journal).range(V4.toString(), V6.toString()));
        }

        static Owner owner(int pod, String containerId) {
            return new Owner(containerId, "net1", "ns/p" + pod);
        }

        void add(int pod, String containerId) {
            List<Optional<IpAddress>> expected = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                expected.add(held.get(r).containsKey(pod) ? Optional.of(held.get(r).get(pod)) : lowestFree(r));
            }
            if (expected.stream().anyMatch(Optional::isEmpty)) {
                IpamException e = assertThrows(IpamException.class, () -> ipam.add(config, owner(pod, containerId)));
                assertEquals(IpamException.POOL_EXHAUSTED, e.code());
                return;
            }
            CniResult result = ipam.add(config, owner(pod, containerId));
            for (int r = 0; r < 2; r++) {
                assertEquals(expected.get(r).get(), result.ips().get(r).address().address());
                held.get(r).put(pod, expected.get(r).get());
            }
            container.put(pod, containerId);
        }

        void del(int pod, String containerId) {
            ipam.del(config, new AttachmentId(containerId, "net1"));
            if (containerId.equals(container.get(pod))) {
                container.remove(pod);
                held.forEach(h -> h.remove(pod));
            }
        }

        Optional<IpAddress> lowestFree(int r) {
            Cidr range = r == 0 ? V4 : V6;
            for (IpAddress ip = range.network().next(); ip.compareTo(range.lastAddress()) < 0; ip = ip.next()) {
                if (!held.get(r).containsValue(ip)) {
                    return Optional.of(ip);
                }
            }
            return Optional.empty();
        }

        boolean matchesStore() {
            TestStore store = TestStoreProvider.backend(backend);
            for (int r = 0; r < 2; r++) {
                Map<IpAddress, Owner> want = new TreeMap<>();
                held.get(r).forEach((pod, ip) -> want.put(ip, owner(pod, container.get(pod))));
                Map<IpAddress, Owner> got = store.allocations(PoolKey.of(r == 0 ? V4 : V6, ""));
                assertEquals(want, got, "pool " + (r == 0 ? V4 : V6));
            }
            assertEquals(held.get(0).size() * 2, store.reservations().size(), "one reservation per held address");
            return true;
        }

        @Override
        public String toString() {
            return "held " + held + " containers " + container;
        }
    }

    @Property(shrinking = ShrinkingMode.FULL, tries = 100)
    void engineFollowsTheModel(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("store equals model", World::matchesStore).run();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.startWith(World::new)
                .withAction(3, new AddAction())
                .withAction(1, new ReAddAction())
                .withAction(2, new DelAction())
                .withMaxTransformations(25);
    }

    static final class AddAction implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, 8).map(pod ->
                    Transformer.mutate("ADD c" + pod + "/net1", w -> w.add(pod, "c" + pod)));
        }
    }

    /** The same pod in a new sandbox: a new container id, the same pod reference. */
    static final class ReAddAction implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, 8).map(pod ->
                    Transformer.mutate("ADD c" + pod + "x/net1 (pod p" + pod + " again)", w -> w.add(pod, "c" + pod + "x")));
        }
    }

    /** DEL of any attachment: held, already deleted, replaced by a new sandbox, or never seen. */
    static final class DelAction implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, 9).flatMap(pod -> Arbitraries.of("", "x").map(suffix -> {
                String id = "c" + pod + suffix;
                return Transformer.mutate("DEL " + id + "/net1", w -> w.del(pod, id));
            }));
        }
    }
}
