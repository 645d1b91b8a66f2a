package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceRefusedException;
import dev.jtorr.domain.tracker.Endpoint;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of {@code jtorr tracker} (BEP 15), on one thread. Connection ids are not stored: each is a keyed
 * hash (HMAC-SHA256 with a secret made at start) of the client's IP address and the current minute (not its port:
 * clients may use a new socket for each request), so a forged
 * or stale id (older than two minutes) is refused without any state per client. Packets that are too short, of an
 * unknown action or with a wrong protocol id are dropped without a reply.
 */
final class UdpTrackerServer implements TrackerTransport.Listening {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTrackerServer.class);

    private final DatagramChannel channel;
    private final TrackerTransport.Requests requests;
    private final Mac mac;
    private final int port;

    UdpTrackerServer(DatagramChannel channel, TrackerTransport.Requests requests) throws IOException {
        this.channel = channel;
        this.requests = requests;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        try {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        Thread.ofPlatform().daemon().name("jtorr-tracker-udp-" + port).start(this::loop);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing UDP tracker", e);
        }
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(UdpTrackerCodec.MAX_PACKET);
        while (channel.isOpen()) {
            try {
                in.clear();
                var from = (InetSocketAddress) channel.receive(in);
                in.flip();
                ByteBuffer reply = handle(in, from);
                if (reply != null) {
                    channel.send(reply, from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("UDP tracker packet: {}", e.toString());
            }
        }
    }

    ByteBuffer handle(ByteBuffer in, InetSocketAddress from) {
        if (in.limit() < 16) {
            return null;
        }
        long connection = in.getLong(0);
        int action = in.getInt(8);
        int transaction = in.getInt(12);
        long minute = System.currentTimeMillis() / 60_000;
        if (action == UdpTrackerCodec.CONNECT) {
            if (connection != UdpTrackerCodec.PROTOCOL_ID) {
                return null;
            }
            return ByteBuffer.allocate(16).putInt(UdpTrackerCodec.CONNECT).putInt(transaction)
                    .putLong(connectionId(from, minute)).flip();
        }
        if (action != UdpTrackerCodec.ANNOUNCE && action != UdpTrackerCodec.SCRAPE) {
            return null;
        }
        if (connection != connectionId(from, minute) && connection != connectionId(from, minute - 1)) {
            return UdpTrackerCodec.error(transaction, "unknown or expired connection id");
        }
        try {
            return action == UdpTrackerCodec.ANNOUNCE ? announce(in, from, transaction) : scrape(in, transaction);
        } catch (AnnounceRefusedException e) {
            return UdpTrackerCodec.error(transaction, e.getMessage());
        } catch (InvalidDataException | IllegalArgumentException e) {
            return UdpTrackerCodec.error(transaction, "invalid request: " + e.getMessage());
        }
    }

    private ByteBuffer announce(ByteBuffer in, InetSocketAddress from, int transaction) {
        var request = UdpTrackerCodec.readAnnounce(in);
        var answer = requests.announce(request, new Endpoint(from.getAddress().getAddress(), request.port()));
        var sel = answer.selection();
        return UdpTrackerCodec.announceReply(transaction, (int) answer.interval().toSeconds(), sel.incomplete(),
                sel.complete(), sel.peers(), from.getAddress() instanceof Inet4Address);
    }

    private ByteBuffer scrape(ByteBuffer in, int transaction) {
        int n = (in.limit() - 16) / 20;
        if (n == 0 || n > UdpTrackerCodec.MAX_SCRAPE_HASHES) {
            throw new InvalidDataException("a scrape names 1 to " + UdpTrackerCodec.MAX_SCRAPE_HASHES + " torrents");
        }
        var hashes = new ArrayList<Digest>(n);
        for (int i = 0; i < n; i++) {
            byte[] h = new byte[20];
            in.get(16 + 20 * i, h);
            hashes.add(new Digest(h));
        }
        Map<Digest, dev.jtorr.domain.tracker.ScrapeStats> stats = requests.scrape(hashes);
        ByteBuffer out = ByteBuffer.allocate(8 + 12 * n).putInt(UdpTrackerCodec.SCRAPE).putInt(transaction);
        for (Digest h : hashes) {
            var s = stats.get(h);
            out.putInt(s.complete()).putInt(s.downloaded()).putInt(s.incomplete());
        }
        return out.flip();
    }

    private long connectionId(InetSocketAddress from, long minute) {
        mac.update(from.getAddress().getAddress());
        for (int i = 7; i >= 0; i--) {
            mac.update((byte) (minute >>> (8 * i)));
        }
        return ByteBuffer.wrap(mac.doFinal()).getLong();
    }
}
