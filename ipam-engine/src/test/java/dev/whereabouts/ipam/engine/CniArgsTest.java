package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.CniArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code CNI_ARGS} parsing as the CNI library does it. */
class CniArgsTest {

    @Test
    void kubernetesArguments() {
        CniArgs a = CniArgs.parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;"
                + "K8S_POD_INFRA_CONTAINER_ID=3f2a;K8S_POD_UID=u-1;FOO=bar");
        assertEquals("default", a.podNamespace());
        assertEquals("web-0", a.podName());
        assertEquals("3f2a", a.infraContainerId());
        assertEquals("u-1", a.podUid());
        assertEquals("default/web-0", a.podRef());
    }

    @Test
    void emptyOrNullIsNoArguments() {
        assertEquals(CniArgs.NONE, CniArgs.parse(""));
        assertEquals(CniArgs.NONE, CniArgs.parse(null));
        assertEquals("", CniArgs.NONE.podRef());
    }

    @Test
    void noPodNameMeansNoPodRef() {
        assertEquals("", CniArgs.parse("K8S_POD_NAMESPACE=ns").podRef());
    }

    @Test
    void unknownKeyWithoutIgnoreUnknownNamesTheKey() {
        IpamException e = assertThrows(IpamException.class,
                () -> CniArgs.parse("K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;FOO=bar"));
        assertEquals(IpamException.INVALID_ENVIRONMENT, e.code(), "CNI_ARGS is the environment");
        assertEquals("LoadArgs - CNI Args Parsing Error: ARGS: unknown args [\"FOO\"]", e.getMessage());
        assertTrue(e.details().contains("'FOO'"), e.details());
        assertThrows(IpamException.class, () -> CniArgs.parse("IgnoreUnknown=0;FOO=bar"));
        assertEquals("", CniArgs.parse("IgnoreUnknown=true;FOO=bar").podRef());
        assertEquals("", CniArgs.parse("IgnoreUnknown=True;FOO=bar").podRef());
    }

    @Test
    void keysAreCaseSensitive() {
        assertThrows(IpamException.class, () -> CniArgs.parse("k8s_pod_name=p"));
    }

    @Test
    void pairsNeedExactlyOneEquals() {
        IpamException e = assertThrows(IpamException.class, () -> CniArgs.parse("IgnoreUnknown=1;K8S_POD_NAME=a=b"));
        assertEquals("LoadArgs - CNI Args Parsing Error: ARGS: invalid pair \"K8S_POD_NAME=a=b\"", e.getMessage());
        assertThrows(IpamException.class, () -> CniArgs.parse("IgnoreUnknown=1;novalue"));
        assertThrows(IpamException.class, () -> CniArgs.parse("IgnoreUnknown=maybe"));
    }

    @Test
    void ipAndGatewayAreCommaSeparated() {
        CniArgs a = CniArgs.parse("IP=10.0.0.5/24, fd00::5/64;GATEWAY=10.0.0.1");
        assertEquals(List.of("10.0.0.5/24", "fd00::5/64"), a.ips());
        assertEquals(List.of("10.0.0.1"), a.gateways());
    }
}
