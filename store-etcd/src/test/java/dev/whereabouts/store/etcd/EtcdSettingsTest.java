package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of the etcd_* fields; nothing here talks to etcd. */
class EtcdSettingsTest {

    private static EtcdSettings parse(Map<String, Object> m) {
        return EtcdSettings.from(new StoreConfig(m));
    }

    private static InvalidConfigException invalid(Map<String, Object> m) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> new EtcdStoreProvider().open(new StoreConfig(m)));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        return e;
    }

    @Test
    void theProviderIsFoundByServiceLoaderUnderItsName() {
        assertTrue(ServiceLoader.load(StoreProvider.class).stream().anyMatch(p -> p.get().name().equals("etcd")));
    }

    @Test
    void endpointsComeAsOneStringACommaListOrAJsonList() {
        assertEquals(List.of(URI.create("http://10.0.0.1:2379")), parse(Map.of("etcd_host", "10.0.0.1:2379")).endpoints());
        assertEquals(List.of(URI.create("http://a:2379"), URI.create("http://b:4001")),
                parse(Map.of("Etcd_Host", "a, http://b:4001")).endpoints());
        assertEquals(List.of(URI.create("https://a:2379"), URI.create("https://[fd00::1]:2379")),
                parse(Map.of("etcd_host", List.of("https://a", "https://[fd00::1]:2379"))).endpoints());
        EtcdSettings d = parse(Map.of("etcd_host", "a:1"));
        assertEquals("/whereabouts", d.prefix());
        assertEquals(5000, d.timeout().toMillis());
        assertEquals(128, d.maxTxnOps());
        assertEquals("/cluster-a", parse(Map.of("etcd_host", "a:1", "etcd_prefix", "cluster-a/")).prefix());
        assertEquals(250, parse(Map.of("etcd_host", "a:1", "etcd_timeout_ms", 250)).timeout().toMillis());
    }

    @Test
    void badFieldsAreConfigErrorsThatNameTheField() {
        assertTrue(invalid(Map.of()).details().contains("etcd_host"));
        assertTrue(invalid(Map.of("etcd_host", "ftp://a:1")).details().contains("scheme"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_timeout_ms", "250")).details().contains("etcd_timeout_ms"),
                "a number is a JSON number, as for every other field");
        assertTrue(invalid(Map.of("etcd_host", "a:65536")).details().contains("65535"));
        assertTrue(invalid(Map.of("etcd_host", "http://a:1/path")).details().contains("etcd_host"));
        assertTrue(invalid(Map.of("etcd_host", "http://a:1,https://b:2")).details().contains("mixed"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_username", "root")).details().contains("etcd_password"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_timeout_ms", 0)).details().contains("etcd_timeout_ms"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_prefix", "/")).details().contains("etcd_prefix"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_cert_file", "/x.crt")).details().contains("etcd_key_file"));
        assertTrue(invalid(Map.of("etcd_host", "http://a:1", "etcd_ca_cert_file", "/ca.crt")).details().contains("plain http"));
        assertTrue(invalid(Map.of("etcd_host", "a:1", "etcd_watch_pools", "yes")).details().contains("etcd_watch_pools"));
    }

    @Test
    void unreadableTlsFilesAreConfigErrorsThatNameFieldAndPath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.crt");
        InvalidConfigException e = invalid(Map.of("etcd_host", "a:1", "etcd_ca_cert_file", missing.toString()));
        assertTrue(e.details().contains("etcd_ca_cert_file") && e.details().contains(missing.toString()), e.details());

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
        e = invalid(Map.of("etcd_host", "a:1", "etcd_ca_cert_file", garbage.toString()));
        assertTrue(e.details().contains("not a PEM file"), e.details());

        Path badCert = Files.writeString(dir.resolve("bad.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        e = invalid(Map.of("etcd_host", "a:1", "etcd_ca_cert_file", badCert.toString()));
        assertTrue(e.details().contains("etcd_ca_cert_file"), e.details());

        Certificates certs = new Certificates(dir).ca("ca");
        Path encrypted = Files.writeString(dir.resolve("enc.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        e = invalid(Map.of("etcd_host", "a:1", "etcd_cert_file", certs.path("ca.crt").toString(), "etcd_key_file", encrypted.toString()));
        assertTrue(e.details().contains("etcd_key_file") && e.details().contains("encrypted"), e.details());

        e = invalid(Map.of("etcd_host", "a:1", "etcd_cert_file", certs.path("ca.crt").toString(),
                "etcd_key_file", dir.resolve("nope.key").toString()));
        assertTrue(e.details().contains("etcd_key_file") && e.details().contains("nope.key"), e.details());
    }

    @Test
    void theClientKeyNamesTheConnectionButNeverThePassword() {
        Map<String, Object> a = new HashMap<>(Map.of("etcd_host", "a:1", "etcd_username", "u", "etcd_password", "hunter2",
                "range", "10.0.0.0/24"));
        Map<String, Object> sameClient = new HashMap<>(a);
        sameClient.put("range", "10.1.0.0/16");
        Map<String, Object> otherPrefix = new HashMap<>(a);
        otherPrefix.put("etcd_prefix", "/b");
        EtcdStoreProvider p = new EtcdStoreProvider();
        String key = p.clientKey(new StoreConfig(a));
        assertEquals(key, p.clientKey(new StoreConfig(sameClient)));
        assertNotEquals(key, p.clientKey(new StoreConfig(otherPrefix)));
        Map<String, Object> watching = new HashMap<>(a);
        watching.put("etcd_watch_pools", true);
        assertNotEquals(key, p.clientKey(new StoreConfig(watching)), "a client that watches pools is its own");
        assertTrue(!key.contains("hunter2"));
        assertTrue(!parse(a).toString().contains("hunter2"));
    }
}
