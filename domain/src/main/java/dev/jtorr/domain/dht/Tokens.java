package dev.jtorr.domain.dht;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The announce tokens of BEP 5: a token is a hash of the asker's IP address and a secret that changes every
 * {@link #ROTATION}; tokens made with the current or the previous secret are accepted, so a token lives five to ten
 * minutes. Nothing is stored per asker, so memory stays constant whatever the number of nodes asking.
 */
public final class Tokens {
    static final Duration ROTATION = Duration.ofMinutes(5);
    static final int LENGTH = 8;
    private final RandomGenerator random;
    private byte[] current = new byte[16];
    private byte[] previous = new byte[16];
    private Instant rotated;

    public Tokens(RandomGenerator random, Instant now) {
        this.random = random;
        random.nextBytes(current);
        random.nextBytes(previous);
        this.rotated = now;
    }

    private void rotate(Instant now) {
        while (!now.isBefore(rotated.plus(ROTATION))) {
            previous = current;
            current = new byte[16];
            random.nextBytes(current);
            rotated = rotated.plus(ROTATION).isBefore(now.minus(ROTATION)) ? now : rotated.plus(ROTATION);
        }
    }

    public byte[] issue(String host, Instant now) {
        rotate(now);
        return token(current, host);
    }

    public boolean valid(byte[] token, String host, Instant now) {
        rotate(now);
        return token != null && (MessageDigest.isEqual(token, token(current, host))
                || MessageDigest.isEqual(token, token(previous, host)));
    }

    private static byte[] token(byte[] secret, String host) {
        try {
            var sha = MessageDigest.getInstance("SHA-1");
            sha.update(secret);
            sha.update(host.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
