package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.InvalidConfigException;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Reads the PEM files of {@code etcd_ca_cert_file}, {@code etcd_cert_file} and {@code etcd_key_file}
 * ourselves, so that a missing or malformed file is a configuration error naming the field and the
 * path, not a stack trace from deep inside Netty.
 */
final class TlsFiles {

    private TlsFiles() {}

    static SslContext sslContext(EtcdSettings s) {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (!s.caFile().isEmpty()) {
            List<X509Certificate> cas = certificates(EtcdSettings.CA, s.caFile());
            builder.trustManager(cas.toArray(X509Certificate[]::new));
        }
        if (!s.certFile().isEmpty()) {
            List<X509Certificate> chain = certificates(EtcdSettings.CERT, s.certFile());
            PrivateKey key = PemKeys.privateKey(EtcdSettings.KEY, s.keyFile(), read(EtcdSettings.KEY, s.keyFile()));
            builder.keyManager(key, chain.toArray(X509Certificate[]::new));
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidConfigException(s.certFile().isEmpty() ? EtcdSettings.CA : EtcdSettings.CERT,
                    s.certFile().isEmpty() ? s.caFile() : s.certFile(), "cannot build a TLS context: " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(String field, String path) {
        byte[] pem = read(field, path);
        try {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (certs.isEmpty()) {
                throw new InvalidConfigException(field, path, "no PEM certificate in the file");
            }
            return certs;
        } catch (CertificateException e) {
            throw new InvalidConfigException(field, path, "not a PEM certificate file: " + e.getMessage());
        }
    }

    static byte[] read(String field, String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new InvalidConfigException(field, path, "file does not exist or is not a regular file");
        }
        try {
            byte[] bytes = Files.readAllBytes(p);
            if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
                throw new InvalidConfigException(field, path, "not a PEM file (no -----BEGIN line)");
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidConfigException(field, path, "cannot read the file: " + e);
        }
    }
}
