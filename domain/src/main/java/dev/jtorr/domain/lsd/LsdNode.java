package dev.jtorr.domain.lsd;

import dev.jtorr.domain.dht.SourceLimiter;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One participant in local service discovery (BEP 14), as a pure state machine: it writes our announces with our
 * cookie, and turns received datagrams into peers, dropping our own announces (by the cookie), malformed ones, and
 * any beyond {@link #PER_SOURCE} a second from one host or {@link #TOTAL} a second from all (bounded work and
 * memory, whatever arrives). Not thread-safe.
 */
public final class LsdNode {
    /** Announces handled per source host per second: a client with many torrents sends one per torrent. */
    public static final int PER_SOURCE = 20;
    /** Announces handled per second from all sources together. */
    public static final int TOTAL = 200;

    /** A peer heard of: it takes part in the swarm of {@code infoHash} and listens at {@code address}. */
    public record Heard(Digest infoHash, PeerAddress address) {
    }

    private final String cookie;
    private final SourceLimiter limiter = new SourceLimiter(PER_SOURCE, TOTAL);
    private long dropped;

    /** A node with a random cookie (eight hex digits, as libtorrent's). */
    public LsdNode(RandomGenerator random) {
        this.cookie = HexFormat.of().toHexDigits(random.nextInt());
    }

    public String cookie() {
        return cookie;
    }

    /** Our announce of {@code infoHashes} and our peer {@code port}, for the group {@code host} names. */
    public byte[] announce(int port, List<Digest> infoHashes, String host) {
        return LsdCodec.encode(new LsdAnnounce(port, infoHashes, Optional.of(cookie)), host);
    }

    /**
     * The peers one received datagram names: none when it is ours, malformed, or over the rate limit.
     *
     * @param sourceHost the IP address it came from (the peer's address: BEP 14 gives only a port)
     */
    public List<Heard> receive(String sourceHost, byte[] datagram, Instant now) {
        if (!limiter.allow(sourceHost, now)) {
            dropped++;
            return List.of();
        }
        LsdAnnounce a;
        try {
            a = LsdCodec.decode(datagram);
        } catch (LsdException e) {
            dropped++;
            return List.of();
        }
        if (a.cookie().filter(cookie::equalsIgnoreCase).isPresent()) {
            return List.of();
        }
        PeerAddress from = new PeerAddress(sourceHost, a.port());
        return a.infoHashes().stream().map(h -> new Heard(h, from)).toList();
    }

    /** Datagrams dropped so far: malformed or over the rate limit. */
    public long dropped() {
        return dropped;
    }
}
