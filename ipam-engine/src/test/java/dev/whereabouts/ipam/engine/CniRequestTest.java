package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment checks every call passes first, on the daemon and in-process alike. */
class CniRequestTest {

    private static IpamException refused(Map<String, String> env) {
        return assertThrows(IpamException.class, () -> CniRequest.of(env));
    }

    @Test
    void missingVariablesAreAllNamed() {
        IpamException e = refused(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1", "CNI_PATH", "/bin"));
        assertEquals(4, e.code());
        assertEquals("required env variables [CNI_NETNS,CNI_IFNAME] missing", e.msg());
    }

    @Test
    void delNeedsNoNetnsAndGcOnlyThePath() {
        CniRequest del = CniRequest.of(Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0",
                "CNI_PATH", "/bin"));
        assertEquals(new AttachmentId("c1", "eth0"), del.attachment());
        assertEquals("", CniRequest.of(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/bin")).containerId());
    }

    @Test
    void unknownCommandsIdsAndInterfacesAreCode4() {
        assertEquals(4, refused(Map.of("CNI_COMMAND", "add")).code());
        assertEquals(4, refused(Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "-x", "CNI_IFNAME", "eth0",
                "CNI_PATH", "/bin")).code());
        assertEquals(4, refused(Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "x", "CNI_IFNAME", "a/b",
                "CNI_PATH", "/bin")).code());
        assertFalse(CniRequest.validInterface("ééééééééé"), "15 bytes, not 15 characters");
        assertTrue(CniRequest.validInterface("net1"));
    }

    @Test
    void versionsAndTheVersionOfAnErrorReply() {
        assertTrue(CniSpec.supported("1.0.0"));
        assertFalse(CniSpec.supported("0.5.0"));
        assertEquals(IpamException.INCOMPATIBLE_VERSION,
                assertThrows(IpamException.class, () -> CniSpec.requireCommand("CHECK", "0.3.1")).code());
        CniSpec.requireCommand("GC", "1.1.0");
        assertEquals("0.4.0", CniSpec.replyVersion("{\"cniVersion\":\"0.4.0\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("0.1.0", CniSpec.replyVersion("{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(CniSpec.NEWEST, CniSpec.replyVersion("{\"cniVersion\":\"9\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(CniSpec.NEWEST, CniSpec.replyVersion("{".getBytes(StandardCharsets.UTF_8)));
        assertTrue(CniSpec.VERSION_REPLY.contains("\"supportedVersions\":[\"0.1.0\","));
    }

    @Test
    void aCallKeepsOnlyTheVariablesItMayRead() {
        var env = new java.util.LinkedHashMap<String, String>();
        env.put("CNI_COMMAND", "ADD");
        env.put("WHEREABOUTS_PLUGIN_NAME", "kube-node");
        env.put("KUBECONFIG", "/etc/kube.conf");
        env.put("NODENAME", "n1");
        env.put("NODE_NAME", "n2");
        env.put("NODE_ANNOTATION_CFG", "/etc/na.conf");
        env.put("PATH", "/bin");
        env.put("LANG", "C.UTF-8");
        env.put("KUBECONFIGS", "x");
        env.put("cni_command", "ADD");
        assertEquals(Map.of("CNI_COMMAND", "ADD", "WHEREABOUTS_PLUGIN_NAME", "kube-node", "KUBECONFIG", "/etc/kube.conf",
                "NODENAME", "n1", "NODE_NAME", "n2", "NODE_ANNOTATION_CFG", "/etc/na.conf"), CniRequest.callEnvironment(env));
    }
}
