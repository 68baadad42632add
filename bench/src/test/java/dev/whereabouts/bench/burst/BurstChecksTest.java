package dev.whereabouts.bench.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The burst's verdicts on made-up calls: a check that cannot fail proves nothing. */
class BurstChecksTest {

    private static CniCall added(String ip) {
        return new CniCall(0, "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"" + ip + "/16\"}]}", "", 1_000_000, 0);
    }

    private static final CniCall FAILED = new CniCall(1, "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"try again later\"}", "", 1, 0);

    @Test
    void anAddressInTwoResultsIsADuplicate() {
        assertEquals(List.of("duplicate 10.77.0.1 handed to burst00000 and burst00002"),
                BurstRun.duplicates(List.of(added("10.77.0.1"), added("10.77.0.2"), added("10.77.0.1"), FAILED), Map.of()));
    }

    @Test
    void anAddressThePrefillHoldsIsADuplicateWhenAnAddReturnsIt() {
        assertEquals(List.of("duplicate 10.77.0.2 handed to prefill-7 and burst00001"),
                BurstRun.duplicates(List.of(added("10.77.0.1"), added("10.77.0.2")), Map.of("10.77.0.2", "prefill-7")));
    }

    @Test
    void anAddressTheStoreDoesNotHoldForItsContainerIsLost() {
        assertEquals(List.of("lost 10.77.0.2 of burst00001 (store says burst00009)"),
                BurstRun.lost(List.of(added("10.77.0.1"), added("10.77.0.2"), FAILED),
                        Map.of("10.77.0.1", "burst00000", "10.77.0.2", "burst00009")));
    }

    @Test
    void failuresAreToldByTheirCniCode() {
        assertEquals("code 11", FAILED.failure());
        assertEquals("exit 1", new CniCall(1, "", "bash: no such file", 1, 0).failure());
        assertEquals(List.of("10.77.0.1"), added("10.77.0.1").addresses());
    }

    @Test
    void leakedAddressesAreCountedOncePerAddressAndMakeTheBurstFail() {
        var plan = new BurstResult.Plan(1, 1, 1, "10.77.0.0/16", 1, 0);
        var phase = new BurstResult.Phase(1, List.of(added("10.77.0.1")), Map.of());
        var result = new BurstResult("x", "etcd", plan, phase, phase, List.of(), List.of(),
                List.of("allocation 10.77.0.1 burst00000", "reservation 10.77.0.1 burst00000"), List.of());
        assertEquals(1, result.leakedAddresses());
        assertEquals(false, result.clean());
    }

    @Test
    void theMachinesCpuIsSplitPerCallAndKeptApartFromStoreRequests() {
        var phase = new BurstResult.Phase(1_000_000_000L, List.of(added("10.77.0.1"), added("10.77.0.2")),
                new java.util.TreeMap<>(Map.of("requests", 4L, "PUT", 2L, "cpu machine", 80L, "cpu daemons", 30L,
                        "cpu harness", 10L, "cpu plugin processes", 12L, "engine writes.committed", 1L))); // phases keep their counters sorted
        String cpu = phase.cpuPerCall();
        assertEquals("machine 40.0 = daemons 15.0 + harness 5.0 + plugin processes 6.0 + kernel and the rest 14.0", cpu.substring(0, cpu.indexOf(" (")));
        assertEquals("PUT=1.00 requests=2.00", phase.requestsPerCall());
        assertEquals("writes.committed=0.50", phase.enginePerCall());
        assertEquals("not measured", new BurstResult.Phase(1, List.of(added("10.77.0.1")), Map.of()).cpuPerCall());
    }
}
