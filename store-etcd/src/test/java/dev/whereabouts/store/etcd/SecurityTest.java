package dev.whereabouts.store.etcd;

import static dev.whereabouts.store.etcd.EtcdStoreTest.add;
import static dev.whereabouts.store.etcd.EtcdStoreTest.committed;
import static dev.whereabouts.store.etcd.EtcdStoreTest.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS with certificates made at test time, and basic auth, against real etcd servers. */
class SecurityTest {

    private static final PoolKey POOL = PoolKey.of(Cidr.parse("10.90.0.0/24"), "");

    @Test
    void mutualTlsWorksWithTheRightCaAndIsRefusedWithAWrongOne(@TempDir Path dir) {
        Certificates certs = new Certificates(dir).ca("ca").ca("other-ca")
                .server("server", "ca").ecClient("ec-client", "ca").rsaClient("rsa-client", "ca");
        try (EtcdServer etcd = EtcdServer.start(List.of(
                "--cert-file", certs.path("server.crt").toString(),
                "--key-file", certs.path("server.key").toString(),
                "--trusted-ca-file", certs.path("ca.crt").toString(),
                "--client-cert-auth"))) {
            assertTrue(etcd.endpoint().startsWith("https://"));

            // SEC1 EC key, as cfssl writes them; the endpoint without scheme becomes https because of the files.
            Map<String, Object> ec = tls(etcd, certs, "ca", "ec-client");
            ec.put("etcd_host", etcd.endpoint().substring("https://".length()));
            try (IpamStore store = open(ec)) {
                committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.90.0.1", owner(1))));
            }
            // PKCS#1 RSA key.
            try (IpamStore store = open(tls(etcd, certs, "ca", "rsa-client"))) {
                assertEquals(owner(1), store.read(POOL).allocations().values().iterator().next());
                store.checkAvailable();
            }

            try (IpamStore wrongCa = open(tls(etcd, certs, "other-ca", "ec-client"))) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> wrongCa.read(POOL));
                assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
                assertTrue(e.details().contains("TLS") && e.details().contains("etcd_ca_cert_file"), e.details());
            }

            Map<String, Object> noClientCert = tls(etcd, certs, "ca", "ec-client");
            noClientCert.remove("etcd_cert_file");
            noClientCert.remove("etcd_key_file");
            try (IpamStore anonymous = open(noClientCert)) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, anonymous::checkAvailable);
                assertTrue(e.details().contains("TLS"), e.details());
            }

            try (IpamStore plain = open(etcd.config("/sec"))) {
                Map<String, Object> http = etcd.config("/sec");
                http.put("etcd_host", etcd.endpoint().replace("https://", "http://"));
                try (IpamStore cleartext = open(http)) {
                    assertThrows(StoreUnavailableException.class, cleartext::checkAvailable);
                }
                // https endpoint, no CA: the JDK's trust store does not know our throwaway CA.
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, plain::checkAvailable);
                assertTrue(e.details().contains("TLS"), e.details());
            }
        }
    }

    @Test
    void basicAuthLetsTheRightPasswordIn(@TempDir Path dir) throws Exception {
        try (EtcdServer etcd = EtcdServer.start(); Client admin = etcd.client()) {
            Auth auth = admin.getAuthClient();
            auth.roleAdd(KeyLayout.bytes("root")).get(10, TimeUnit.SECONDS);
            auth.userAdd(KeyLayout.bytes("root"), KeyLayout.bytes("s3cret")).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(KeyLayout.bytes("root"), KeyLayout.bytes("root")).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);

            Map<String, Object> good = etcd.config("/auth");
            good.put("etcd_username", "root");
            good.put("etcd_password", "s3cret");
            try (IpamStore store = open(good)) {
                committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.90.0.2", owner(2))));
                assertEquals(1, store.reservations().size());
            }

            Map<String, Object> bad = new HashMap<>(good);
            bad.put("etcd_password", "wrong");
            try (IpamStore store = open(bad)) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.read(POOL));
                assertTrue(e.details().contains("etcd_username and etcd_password"), e.details());
                assertTrue(!e.details().contains("wrong"), "the password must not appear in errors: " + e.details());
            }

            try (IpamStore store = open(etcd.config("/auth"))) {
                assertThrows(StoreUnavailableException.class, () -> store.read(POOL));
            }
        }
    }

    private static IpamStore open(Map<String, Object> cfg) {
        return new EtcdStoreProvider().open(new StoreConfig(cfg));
    }

    private static Map<String, Object> tls(EtcdServer etcd, Certificates certs, String ca, String client) {
        Map<String, Object> cfg = etcd.config("/sec");
        cfg.put("etcd_ca_cert_file", certs.path(ca + ".crt").toString());
        cfg.put("etcd_cert_file", certs.path(client + ".crt").toString());
        cfg.put("etcd_key_file", certs.path(client + ".key").toString());
        return cfg;
    }
}
