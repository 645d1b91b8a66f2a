package dev.jtorr.adapters.net;

import java.time.Duration;

/**
 * Settings of the peer network adapter.
 *
 * @param bindAddress      address to listen on; empty for every interface
 * @param connectTimeout   how long a dial may take, handshake included
 * @param readTimeout      a connection that sends nothing (not even a keep-alive) for this long is dropped
 * @param keepAlive        we send a keep-alive after this long without sending anything (BEP 3: about 2 minutes)
 * @param maxMessageLength the longest message accepted from a peer (a 16 KiB block plus header, or the bitfield)
 * @param maxQueuedBytes   a connection whose send queue grows past this is closed
 */
public record NetConfig(String bindAddress, Duration connectTimeout, Duration readTimeout, Duration keepAlive,
                        int maxMessageLength, long maxQueuedBytes) {
    public static NetConfig defaults() {
        return new NetConfig("", Duration.ofSeconds(10), Duration.ofSeconds(150), Duration.ofSeconds(90),
                1 << 20, 64L << 20);
    }
}
