package dev.jtorr.adapters.net.http;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the daemon's HTTP API listens and who may use it.
 *
 * @param bind       the address to listen on; loopback (the default, 127.0.0.1) needs no credentials, any other
 *                   address makes every request need the API key or a login cookie
 * @param port       the port, 0 for any free one
 * @param stateDir   where the API key is made on first run and kept ({@code api-key}, readable by its owner only)
 * @param hostNames  names besides the bound address, localhost and the loopback addresses that a request's
 *                   {@code Host} header may give (against DNS rebinding)
 * @param requireCredentials every request needs the API key or a login cookie even on loopback (where other users
 *                   of the machine, or its browser's pages, may reach the port)
 */
public record ApiConfig(String bind, int port, Path stateDir, List<String> hostNames, boolean requireCredentials) {
    /** The largest request body: a .torrent file of the largest size jtorr reads, with room for the form around it. */
    public static final int MAX_BODY = (64 << 20) + (64 << 10);
    /** The largest JSON body. */
    public static final int MAX_JSON = 1 << 20;

    public ApiConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(stateDir, "stateDir");
        hostNames = List.copyOf(hostNames);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("API port " + port + " is outside 0-65535");
        }
    }
}
