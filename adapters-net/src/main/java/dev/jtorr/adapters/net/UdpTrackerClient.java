package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * UDP trackers (BEP 15): connect, then announce or scrape, each step sent again with doubling timeouts a bounded
 * number of times. Connection ids are reused for a minute (BEP 15), per tracker address. Replies with the wrong
 * transaction id, action or length are ignored (they may be late answers to an earlier try). Each request runs
 * on its own virtual thread with its own socket.
 */
final class UdpTrackerClient {
    private static final Duration CONNECTION_ID_LIFE = Duration.ofSeconds(60);

    private record ConnectionId(long id, Instant obtained) {
    }

    private final NetConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Map<InetSocketAddress, ConnectionId> connections = new ConcurrentHashMap<>();

    UdpTrackerClient(NetConfig config) {
        this.config = config;
    }

    CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest request) {
        return run(url, (socket) -> {
            ByteBuffer reply = exchange(socket, url, (tx, id) -> UdpTrackerCodec.announceRequest(id, tx, request),
                    UdpTrackerCodec.ANNOUNCE, 20);
            boolean v4 = socket.address().getAddress() instanceof Inet4Address;
            int entry = v4 ? Endpoint.COMPACT_V4 : Endpoint.COMPACT_V6;
            int interval = reply.getInt(8);
            int leechers = reply.getInt(12);
            int seeders = reply.getInt(16);
            byte[] peers = new byte[(reply.limit() - 20) / entry * entry];
            reply.get(20, peers);
            var addresses = Endpoint.parseCompact(peers, entry).stream().map(Endpoint::toPeerAddress).toList();
            return new AnnounceReply(Duration.ofSeconds(Math.max(0, interval)), Optional.empty(), Optional.empty(),
                    Math.max(-1, seeders), Math.max(-1, leechers), addresses, Optional.empty());
        });
    }

    CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> hashes) {
        if (hashes.size() > UdpTrackerCodec.MAX_SCRAPE_HASHES) {
            return CompletableFuture.failedFuture(new TrackerException("at most "
                    + UdpTrackerCodec.MAX_SCRAPE_HASHES + " torrents per UDP scrape"));
        }
        return run(url, (socket) -> {
            ByteBuffer reply = exchange(socket, url, (tx, id) -> UdpTrackerCodec.scrapeRequest(id, tx, hashes),
                    UdpTrackerCodec.SCRAPE, 8 + 12 * hashes.size());
            var out = new LinkedHashMap<Digest, ScrapeStats>();
            for (int i = 0; i < hashes.size(); i++) {
                int at = 8 + 12 * i;
                out.put(hashes.get(i), new ScrapeStats(Math.max(0, reply.getInt(at)), Math.max(0, reply.getInt(at + 4)),
                        Math.max(0, reply.getInt(at + 8))));
            }
            return out;
        });
    }

    /** A socket connected to one tracker address. */
    private record Socket(java.nio.channels.DatagramChannel channel, InetSocketAddress address) {
    }

    private interface Step<T> {
        T run(Socket socket) throws IOException;
    }

    private <T> CompletableFuture<T> run(String url, Step<T> step) {
        var result = new CompletableFuture<T>();
        Thread.ofVirtual().name("jtorr-udp-tracker").start(() -> {
            try {
                InetSocketAddress address = resolve(url);
                try (var channel = java.nio.channels.DatagramChannel.open()) {
                    channel.connect(address);
                    result.complete(step.run(new Socket(channel, address)));
                }
            } catch (TrackerException e) {
                result.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new TrackerException("tracker " + url + " unreachable: " + e, e));
            }
        });
        return result;
    }

    private static InetSocketAddress resolve(String url) throws IOException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new TrackerException("not a usable tracker URL: " + url);
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new TrackerException("UDP tracker URL without host and port: " + url);
        }
        return new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort());
    }

    private interface Packet {
        ByteBuffer build(int transaction, long connectionId);
    }

    /** Connects when needed, then sends the request until a matching reply of at least {@code minLength} bytes. */
    private ByteBuffer exchange(Socket socket, String url, Packet packet, int action, int minLength)
            throws IOException {
        long id = connectionId(socket, url);
        try {
            return request(socket, url, tx -> packet.build(tx, id), action, minLength);
        } catch (TrackerException e) {
            connections.remove(socket.address()); // the id may have expired on the tracker's side
            throw e;
        }
    }

    private long connectionId(Socket socket, String url) throws IOException {
        ConnectionId known = connections.get(socket.address());
        if (known != null && Duration.between(known.obtained(), Instant.now()).compareTo(CONNECTION_ID_LIFE) < 0) {
            return known.id();
        }
        ByteBuffer reply = request(socket, url, UdpTrackerCodec::connectRequest, UdpTrackerCodec.CONNECT, 16);
        long id = reply.getLong(8);
        connections.put(socket.address(), new ConnectionId(id, Instant.now()));
        return id;
    }

    private ByteBuffer request(Socket socket, String url, Function<Integer, ByteBuffer> build, int action,
                               int minLength) throws IOException {
        int transaction = random.nextInt();
        ByteBuffer out = build.apply(transaction);
        ByteBuffer in = ByteBuffer.allocate(UdpTrackerCodec.MAX_PACKET);
        long timeout = config.udpFirstTimeout().toMillis();
        var selector = java.nio.channels.Selector.open();
        try (selector) {
            socket.channel().configureBlocking(false);
            socket.channel().register(selector, java.nio.channels.SelectionKey.OP_READ);
            for (int attempt = 0; attempt <= config.udpRetries(); attempt++, timeout *= 2) {
                socket.channel().write(out.duplicate());
                long deadline = System.nanoTime() + timeout * 1_000_000;
                long left;
                while ((left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
                    if (selector.select(left) == 0) {
                        continue;
                    }
                    selector.selectedKeys().clear();
                    in.clear();
                    try {
                        socket.channel().read(in);
                    } catch (java.net.PortUnreachableException e) {
                        throw new TrackerException("tracker " + url + " unreachable: nothing listens on "
                                + socket.address());
                    }
                    in.flip();
                    if (in.limit() < 8 || in.getInt(4) != transaction) {
                        continue; // not ours: a late reply to an earlier try, or junk
                    }
                    int got = in.getInt(0);
                    if (got == UdpTrackerCodec.ERROR) {
                        byte[] text = new byte[Math.min(in.limit() - 8, 1024)];
                        in.get(8, text);
                        throw new TrackerException("tracker " + url + " refused: "
                                + new String(text, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip());
                    }
                    if (got == action && in.limit() >= minLength) {
                        return in;
                    }
                }
            }
        } catch (InvalidDataException e) {
            throw new TrackerException("tracker " + url + " sent a bad reply: " + e.getMessage());
        }
        throw new TrackerException("tracker " + url + " did not answer in time");
    }
}
