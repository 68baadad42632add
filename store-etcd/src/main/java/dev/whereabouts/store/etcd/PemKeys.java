package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.InvalidConfigException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys in the three PEM shapes that etcd deployments use: PKCS#8 ({@code PRIVATE KEY}, what
 * OpenSSL 3 writes), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}), the last
 * two being what cfssl, the tool of etcd's own TLS guide, writes. The JDK reads only PKCS#8, so the
 * other two are wrapped into PKCS#8 here rather than pulling in BouncyCastle.
 */
final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    private PemKeys() {}

    static PrivateKey privateKey(String field, String path, byte[] pem) {
        Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(field, path, der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(field, path, sequence(concat(new byte[] {2, 1, 0}, RSA_ALGORITHM, tlv(0x04, der))));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] curve = curveOf(field, path, der);
                    byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve));
                    return pkcs8(field, path, sequence(concat(new byte[] {2, 1, 0}, algorithm, tlv(0x04, der))));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new InvalidConfigException(field, path,
                        "encrypted private keys are not supported; decrypt it with 'openssl pkcs8 -nocrypt'");
                default -> {
                    // EC PARAMETERS and certificates may share the file; skip them.
                }
            }
        }
        throw new InvalidConfigException(field, path, "no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) in the file");
    }

    private static PrivateKey pkcs8(String field, String path, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm: PKCS#8 names its algorithm, but the JDK wants it up front
            }
        }
        throw new InvalidConfigException(field, path, "unreadable private key (not RSA, EC, Ed25519, Ed448 or DSA)");
    }

    /** The named-curve OID inside a SEC1 {@code ECPrivateKey}'s {@code [0] parameters}. */
    private static byte[] curveOf(String field, String path, byte[] sec1) {
        try {
            int[] outer = header(sec1, 0);
            int pos = outer[0];
            int end = pos + outer[1];
            while (pos < end) {
                int tag = sec1[pos] & 0xff;
                int[] h = header(sec1, pos);
                if (tag == 0xa0) {
                    int[] inner = header(sec1, h[0]);
                    if ((sec1[h[0]] & 0xff) == 0x06) {
                        return java.util.Arrays.copyOfRange(sec1, h[0], inner[0] + inner[1]);
                    }
                }
                pos = h[0] + h[1];
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            // fall through to the error below
        }
        throw new InvalidConfigException(field, path, "EC private key without a named curve");
    }

    /** Returns {contentStart, contentLength} of the DER element at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {start, len};
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
