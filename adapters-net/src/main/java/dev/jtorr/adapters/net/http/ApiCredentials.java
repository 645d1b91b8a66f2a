package dev.jtorr.adapters.net.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The daemon's one secret: an API key made at random on first run and kept in the state folder ({@code api-key},
 * owner-only), used as a bearer token by scripts, as the password of the web page's login and of HTTP basic
 * authentication (Transmission's remote tools), and the login cookies handed out against it. There is no default.
 * Thread-safe.
 */
final class ApiCredentials {
    private static final int COOKIES_KEPT = 1000;
    private final String key;
    private final SecureRandom random = new SecureRandom();
    /** Cookies handed out, the oldest forgotten first; guarded by itself. */
    private final Set<String> cookies = new LinkedHashSet<>();

    private ApiCredentials(String key) {
        this.key = key;
    }

    /** The key kept in {@code stateDir/api-key}, made there first when there is none. */
    static ApiCredentials load(Path stateDir) throws IOException {
        Path file = stateDir.resolve("api-key");
        if (Files.isRegularFile(file)) {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.length() >= 16) {
                return new ApiCredentials(key);
            }
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(stateDir);
        Path tmp = Files.createTempFile(stateDir, ".api-key", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own rules hold
        }
        Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new ApiCredentials(key);
    }

    /** Whether {@code candidate} is the key, compared in constant time. */
    boolean isKey(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8));
    }

    /** A new login cookie's value. */
    String newCookie() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        synchronized (cookies) {
            cookies.add(cookie);
            if (cookies.size() > COOKIES_KEPT) {
                cookies.remove(cookies.iterator().next());
            }
        }
        return cookie;
    }

    boolean isCookie(String candidate) {
        synchronized (cookies) {
            return candidate != null && cookies.contains(candidate);
        }
    }

    void forget(String cookie) {
        synchronized (cookies) {
            cookies.remove(cookie);
        }
    }
}
