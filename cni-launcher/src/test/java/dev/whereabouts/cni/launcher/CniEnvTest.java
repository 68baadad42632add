package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.IpamException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniEnvTest {

    @Test
    void missingVariablesAreNamed() {
        var e = assertThrows(IpamException.class,
                () -> CniEnv.check("ADD", Map.of("CNI_CONTAINERID", "c1", "CNI_PATH", "/bin")));
        assertEquals(4, e.code());
        assertEquals("required env variables [CNI_NETNS,CNI_IFNAME] missing", e.msg());
    }

    @Test
    void delNeedsNoNetnsAndGcOnlyThePath() {
        assertDoesNotThrow(() -> CniEnv.check("DEL",
                Map.of("CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0", "CNI_PATH", "/bin")));
        assertDoesNotThrow(() -> CniEnv.check("GC", Map.of("CNI_PATH", "/bin")));
    }

    @Test
    void badIdsInterfacesAndNamesAreRejected() {
        assertEquals(4, assertThrows(IpamException.class, () -> CniEnv.check("DEL",
                Map.of("CNI_CONTAINERID", "-x", "CNI_IFNAME", "eth0", "CNI_PATH", "/bin"))).code());
        assertEquals(4, assertThrows(IpamException.class, () -> CniEnv.check("DEL",
                Map.of("CNI_CONTAINERID", "x", "CNI_IFNAME", "a/b", "CNI_PATH", "/bin"))).code());
        assertEquals(7, assertThrows(IpamException.class, () -> CniEnv.checkNetworkName("a b")).code());
        assertEquals(7, assertThrows(IpamException.class, () -> CniEnv.checkNetworkName("")).code());
    }

    @Test
    void versionOrder() {
        assertEquals(true, CniVersions.atLeast("1.0.0", "0.4.0"));
        assertEquals(false, CniVersions.atLeast("0.3.1", "0.4.0"));
        assertEquals(false, CniVersions.supported("0.5.0"));
    }
}
