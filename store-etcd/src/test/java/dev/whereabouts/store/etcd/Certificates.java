package dev.whereabouts.store.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Throwaway CAs and certificates made with the {@code openssl} CLI at test time. */
final class Certificates {

    private final Path dir;

    Certificates(Path dir) {
        this.dir = dir;
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    /** A self-signed CA: {@code <name>.crt} and {@code <name>.key}. */
    Certificates ca(String name) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + name);
        return this;
    }

    /** A server certificate for 127.0.0.1 and localhost, with a PKCS#8 RSA key. */
    Certificates server(String name, String ca) {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=127.0.0.1");
        sign(name, ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
        return this;
    }

    /** A client certificate whose key is SEC1 ({@code EC PRIVATE KEY}), as cfssl writes them. */
    Certificates ecClient(String name, String ca) {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        sign(name, ca, "extendedKeyUsage=clientAuth\n");
        return this;
    }

    /** A client certificate whose key is PKCS#1 ({@code RSA PRIVATE KEY}). */
    Certificates rsaClient(String name, String ca) {
        openssl("genrsa", "-traditional", "-out", name + ".key", "2048");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        sign(name, ca, "extendedKeyUsage=clientAuth\n");
        return this;
    }

    private void sign(String name, String ca, String extensions) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extensions);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (Debian package openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
