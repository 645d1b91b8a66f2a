package dev.jtorr.domain.peer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The 20-byte id a peer sends in its handshake (BEP 3). Ours follows the Azureus convention that other clients
 * display: {@code -JT0100-} then twelve random characters.
 */
public record PeerId(byte[] bytes) {
    public static final int LENGTH = 20;
    private static final String PREFIX = "-JT0100-";
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public PeerId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("peer id of " + bytes.length + " bytes, expected 20");
        }
        bytes = bytes.clone();
    }

    /** A fresh id for this client. */
    public static PeerId generate(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        for (int i = prefix.length; i < LENGTH; i++) {
            b[i] = (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new PeerId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The client the id names: {@code LT2080} for the Azureus convention ({@code -LT2080-...}), else its leading
     * printable prefix (aria2's {@code A2-1-36-0-}), or {@code unknown}.
     */
    public String client() {
        if (bytes[0] == '-' && bytes[7] == '-') {
            return new String(bytes, 1, 6, StandardCharsets.US_ASCII);
        }
        int n = 0;
        while (n < 10 && (Character.isLetterOrDigit(bytes[n]) || bytes[n] == '-' || bytes[n] == '.')) {
            n++;
        }
        return n == 0 ? "unknown" : new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
