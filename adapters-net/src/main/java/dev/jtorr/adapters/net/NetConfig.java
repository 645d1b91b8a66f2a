package dev.jtorr.adapters.net;

import java.time.Duration;

/**
 * Settings of the network adapters.
 *
 * @param bindAddress      address to listen on; empty for every interface
 * @param connectTimeout   how long a dial may take, handshake included
 * @param readTimeout      a connection that sends nothing (not even a keep-alive) for this long is dropped
 * @param keepAlive        we send a keep-alive after this long without sending anything (BEP 3: about 2 minutes)
 * @param maxMessageLength the longest message accepted from a peer (a 16 KiB block plus header, or the bitfield)
 * @param maxQueuedBytes   a connection whose send queue grows past this is closed
 * @param trackerTimeout   an HTTP tracker request, body included, takes at most this long
 * @param udpFirstTimeout  a UDP tracker request is sent again after this long, then after twice as long, ...
 * @param udpRetries       ... this many times before the request fails (BEP 15 allows far longer; we bound it)
 */
public record NetConfig(String bindAddress, Duration connectTimeout, Duration readTimeout, Duration keepAlive,
                        int maxMessageLength, long maxQueuedBytes, Duration trackerTimeout, Duration udpFirstTimeout,
                        int udpRetries) {
    public static NetConfig defaults() {
        return new NetConfig("", Duration.ofSeconds(10), Duration.ofSeconds(150), Duration.ofSeconds(90),
                1 << 20, 64L << 20, Duration.ofSeconds(20), Duration.ofSeconds(3), 3);
    }

    /** These settings with other tracker timeouts (tests use short ones). */
    public NetConfig withTrackerTimeouts(Duration http, Duration udpFirst, int retries) {
        return new NetConfig(bindAddress, connectTimeout, readTimeout, keepAlive, maxMessageLength, maxQueuedBytes,
                http, udpFirst, retries);
    }
}
