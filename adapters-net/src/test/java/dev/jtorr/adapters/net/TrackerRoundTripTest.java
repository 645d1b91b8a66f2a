package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.tracker.ScrapeStats;
import dev.jtorr.domain.tracker.SwarmRegistry;
import dev.jtorr.domain.tracker.TrackerStatistics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** jtorr's tracker client against jtorr's tracker server, over loopback HTTP and UDP, and bad input to the server. */
class TrackerRoundTripTest {
    static final Digest HASH = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");
    static final Digest BANNED = Digest.ofHex("ff".repeat(20));
    static final NetConfig CONFIG = NetConfig.defaults()
            .withTrackerTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), 2);

    /** The server's side, straight over the domain registry. */
    static final class Registry implements TrackerTransport.Requests {
        final SwarmRegistry registry = new SwarmRegistry(new SwarmRegistry.Config(Duration.ofMinutes(5), 50, 200,
                100, 1000, Optional.empty()));
        final SplittableRandom random = new SplittableRandom(1);
        int announces;

        @Override
        public synchronized TrackerTransport.Answer announce(AnnounceRequest r, Endpoint from) {
            if (r.infoHash().equals(BANNED)) {
                throw new dev.jtorr.domain.tracker.AnnounceRefusedException("not on this tracker");
            }
            announces++;
            return new TrackerTransport.Answer(Duration.ofSeconds(1800), Duration.ofSeconds(900),
                    registry.announce(r.infoHash(), from, r.left(), r.event(), r.numWant(), Instant.now(), random));
        }

        @Override
        public synchronized Map<Digest, ScrapeStats> scrape(List<Digest> hashes) {
            var out = new java.util.LinkedHashMap<Digest, ScrapeStats>();
            hashes.forEach(h -> out.put(h, registry.scrape(h)));
            return out;
        }

        @Override
        public synchronized TrackerStatistics statistics() {
            return new TrackerStatistics(registry.totals(), announces, 0, 0, Duration.ZERO);
        }
    }

    final Registry registry = new Registry();
    final SocketTrackerTransport transport = new SocketTrackerTransport(CONFIG);
    final TrackerTransport.Listening http = transport.listenHttp("127.0.0.1", 0, registry);
    final TrackerTransport.Listening udp = transport.listenUdp("127.0.0.1", 0, registry);
    final MultiTrackerClient client = new MultiTrackerClient(CONFIG);

    @AfterEach
    void close() {
        http.close();
        udp.close();
    }

    String url(String scheme) {
        return scheme.equals("http") ? "http://127.0.0.1:" + http.port() + "/announce"
                : "udp://127.0.0.1:" + udp.port();
    }

    static AnnounceRequest request(Digest hash, int port, long left, AnnounceEvent event) {
        byte[] id = ("-JT0100-test" + String.format("%08d", port)).getBytes(StandardCharsets.US_ASCII);
        return new AnnounceRequest(hash, new PeerId(id), port, 0, 0, left, event, 50, 7, Optional.empty());
    }

    AnnounceReply announce(String scheme, Digest hash, int port, long left, AnnounceEvent event) throws Exception {
        return client.announce(url(scheme), request(hash, port, left, event)).get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "udp"})
    void peersFindEachOtherAndScrapeCounts(String scheme) throws Exception {
        var first = announce(scheme, HASH, 7001, 0, AnnounceEvent.STARTED);
        assertEquals(List.of(), first.peers());
        assertEquals(1, first.seeders());
        var second = announce(scheme, HASH, 7002, 100, AnnounceEvent.STARTED);
        assertEquals(List.of(new PeerAddress("127.0.0.1", 7001)), second.peers());
        assertEquals(Duration.ofSeconds(1800), second.interval());
        assertEquals(1, second.seeders());
        assertEquals(1, second.leechers());
        announce(scheme, HASH, 7002, 0, AnnounceEvent.COMPLETED);
        Map<Digest, ScrapeStats> scrape = client.scrape(url(scheme), List.of(HASH, BANNED)).get(10, TimeUnit.SECONDS);
        assertEquals(new ScrapeStats(2, 1, 0), scrape.get(HASH));
        assertEquals(new ScrapeStats(0, 0, 0), scrape.get(BANNED));
        announce(scheme, HASH, 7001, 0, AnnounceEvent.STOPPED);
        assertEquals(new ScrapeStats(1, 1, 0), client.scrape(url(scheme), List.of(HASH)).get(10, TimeUnit.SECONDS)
                .get(HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "udp"})
    void aRefusalArrivesAsItsFailureReason(String scheme) {
        var e = assertThrows(ExecutionException.class, () -> announce(scheme, BANNED, 7001, 0, AnnounceEvent.STARTED));
        assertTrue(e.getCause() instanceof TrackerException, e.toString());
        assertTrue(e.getCause().getMessage().contains("refused: not on this tracker"), e.getCause().getMessage());
    }

    @Test
    void httpDictionaryFormAndRawBinaryHashes() throws Exception {
        announce("http", HASH, 7001, 0, AnnounceEvent.STARTED);
        byte[] hash = HASH.bytes();
        String query = "info_hash=" + HttpTrackerCodec.percent(hash) + "&peer_id=" + "-XX0000-abcdefghijkl"
                + "&port=7009&left=5&compact=0";
        String body = get("/announce?" + query);
        var d = (BDictionary) BencodeDecoder.decode(body.substring(body.indexOf("\r\n\r\n") + 4)
                .getBytes(StandardCharsets.ISO_8859_1));
        var peers = (BList) d.get("peers").orElseThrow();
        assertEquals(1, peers.values().size());
        var peer = (BDictionary) peers.values().get(0);
        assertEquals("127.0.0.1", peer.getString("ip").orElseThrow().text());
        assertEquals(7001, peer.getInteger("port").orElseThrow().value());
    }

    @Test
    void httpBadRequestsGetAFailureReasonOrAnError() throws Exception {
        assertTrue(get("/announce?info_hash=short&peer_id=x&port=1").contains("failure reason"));
        assertTrue(get("/announce?info_hash=%zz").contains("failure reason"));
        assertTrue(get("/announce?" + "a=b&".repeat(10)).contains("missing info_hash"));
        assertTrue(get("/nothing").startsWith("HTTP/1.1 404"));
        assertTrue(raw("BREW /announce HTTP/1.1\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 405"));
        assertTrue(raw("garbage\r\n\r\n").startsWith("HTTP/1.1 400"));
        // a request head over the limit is cut off without an answer
        assertEquals("", raw("GET /announce?" + "x".repeat(HttpTrackerServer.MAX_HEAD) + " HTTP/1.1\r\n\r\n"));
        assertTrue(get("/").contains("jtorr tracker"), "the server still serves after all that");
        assertTrue(get("/stats.json").contains("\"torrents\":0"));
    }

    @Test
    void manyConnectionsThatSendNothingDoNotStopTheTracker() throws Exception {
        var idle = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 300; i++) {
                idle.add(new Socket("127.0.0.1", http.port()));
            }
            assertEquals(0, announce("http", HASH, 7001, 0, AnnounceEvent.STARTED).peers().size());
            assertEquals(1, registry.announces);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void udpForgedConnectionIdsGetAnErrorAndJunkGetsNothing() throws Exception {
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            var to = InetAddress.getByName("127.0.0.1");
            ByteBuffer forged = UdpTrackerCodec.announceRequest(12345L, 99, request(HASH, 7001, 0,
                    AnnounceEvent.STARTED));
            socket.send(new DatagramPacket(forged.array(), forged.limit(), to, udp.port()));
            var reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            ByteBuffer r = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
            assertEquals(UdpTrackerCodec.ERROR, r.getInt(0));
            assertEquals(99, r.getInt(4));
            assertEquals(0, registry.announces, "a forged id registers nothing");
            for (byte[] junk : List.of(new byte[3], new byte[15], randomBytes(200), connectWithWrongProtocolId())) {
                socket.send(new DatagramPacket(junk, junk.length, to, udp.port()));
                assertThrows(java.net.SocketTimeoutException.class, () -> socket.receive(reply));
            }
        }
        assertEquals(0, announce("udp", HASH, 7001, 0, AnnounceEvent.STARTED).peers().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "udp"})
    void ipv6PeersComeBackAsIpv6(String scheme) throws Exception {
        var http6 = transport.listenHttp("::1", 0, registry);
        var udp6 = transport.listenUdp("::1", 0, registry);
        try {
            String url = scheme.equals("http") ? "http://[::1]:" + http6.port() + "/announce"
                    : "udp://[::1]:" + udp6.port();
            client.announce(url, request(HASH, 7101, 0, AnnounceEvent.STARTED)).get(10, TimeUnit.SECONDS);
            var reply = client.announce(url, request(HASH, 7102, 9, AnnounceEvent.STARTED)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(new PeerAddress("::1", 7101)), reply.peers(), "peers6 / 18-byte entries");
        } finally {
            http6.close();
            udp6.close();
        }
    }

    @Test
    void scrapeUrlsFollowBep48() {
        assertEquals(Optional.of("http://t/scrape"), HttpTrackerCodec.scrapeUrl("http://t/announce"));
        assertEquals(Optional.of("http://t/x/scrape.php?k=1"), HttpTrackerCodec.scrapeUrl("http://t/x/announce.php?k=1"));
        assertEquals(Optional.empty(), HttpTrackerCodec.scrapeUrl("http://t/a"));
        assertEquals("%00%FFaZ-._~%20", HttpTrackerCodec.percent(new byte[] {0, -1, 'a', 'Z', '-', '.', '_', '~', ' '}));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] connectWithWrongProtocolId() {
        return ByteBuffer.allocate(16).putLong(42).putInt(UdpTrackerCodec.CONNECT).putInt(1).array();
    }

    private String get(String target) throws Exception {
        return raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private String raw(String request) throws Exception {
        try (var s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketException e) {
                return ""; // reset by the server
            }
        }
    }

}
