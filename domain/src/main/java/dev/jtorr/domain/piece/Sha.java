package dev.jtorr.domain.piece;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Factory for the two hash functions BitTorrent uses; every Java runtime is required to provide both. */
public final class Sha {
    private Sha() {
    }

    public static MessageDigest sha1() {
        return get("SHA-1");
    }

    public static MessageDigest sha256() {
        return get("SHA-256");
    }

    private static MessageDigest get(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
