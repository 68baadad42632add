package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolRollbackTest {

    static final Owner A = new Owner("ctr-a", "net1", "default/a");
    static final Owner A2 = new Owner("ctr-a2", "net1", "default/a");
    static final Owner B = new Owner("ctr-b", "net1", "default/b");
    static final Owner C = new Owner("ctr-c", "net1", "default/c");
    static final IpAddress ONE = IpAddress.parse("10.0.0.1");
    static final IpAddress TWO = IpAddress.parse("10.0.0.2");
    static final PoolChange NOTHING = new PoolChange(List.of(), List.of(), List.of(), List.of());

    @Test
    void anEntryTheChangeAddedGoesAgain() {
        PoolChange inverse = PoolRollback.inverse(Map.of(ONE, A), Map.of(), PoolChange.put(new Allocation(ONE, A)));
        assertEquals(PoolChange.remove(ONE), inverse);
    }

    @Test
    void anEntryTheChangeRefreshedGetsItsOldOwnerBack() {
        PoolChange inverse = PoolRollback.inverse(Map.of(ONE, A2), Map.of(ONE, A), PoolChange.put(new Allocation(ONE, A2)));
        assertEquals(PoolChange.put(new Allocation(ONE, A)), inverse);
    }

    @Test
    void anEntryAnotherWriterChangedSinceIsLeftAlone() {
        PoolChange inverse = PoolRollback.inverse(Map.of(ONE, B), Map.of(), PoolChange.put(new Allocation(ONE, A)));
        assertEquals(NOTHING, inverse);
    }

    @Test
    void anEntryTheChangeRemovedComesBackWhileItsAddressIsFree() {
        PoolChange removeTwo = new PoolChange(List.of(), List.of(TWO), List.of(), List.of());
        assertEquals(PoolChange.put(new Allocation(TWO, C)), PoolRollback.inverse(Map.of(), Map.of(TWO, C), removeTwo));
        assertEquals(NOTHING, PoolRollback.inverse(Map.of(TWO, B), Map.of(TWO, C), removeTwo),
                "another writer's entry is not overwritten");
    }
}
