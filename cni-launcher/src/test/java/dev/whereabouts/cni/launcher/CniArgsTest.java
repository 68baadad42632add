package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.IpamException;
import org.junit.jupiter.api.Test;

class CniArgsTest {

    @Test
    void kubernetesArgsGiveThePodReference() {
        var args = CniArgs.parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;"
                + "K8S_POD_INFRA_CONTAINER_ID=abc;FOO=bar");
        assertEquals("default/web-0", args.podRef());
    }

    @Test
    void noPodWithoutBothKeys() {
        assertEquals("", CniArgs.parse("").podRef());
        assertEquals("", CniArgs.parse("K8S_POD_NAME=web-0").podRef());
    }

    @Test
    void malformedAndUnknownPairsAreCode4() {
        var bad = assertThrows(IpamException.class, () -> CniArgs.parse("K8S_POD_NAME=a=b"));
        assertEquals(4, bad.code());
        var unknown = assertThrows(IpamException.class, () -> CniArgs.parse("FOO=bar"));
        assertEquals(4, unknown.code());
        assertEquals("ARGS: unknown args [FOO]", unknown.msg());
        assertEquals("x", CniArgs.parse("IgnoreUnknown=true;FOO=x").values().get("FOO"));
    }
}
