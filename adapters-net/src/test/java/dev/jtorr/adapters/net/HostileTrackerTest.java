package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceReply;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker client against trackers that misbehave: every call ends, in bounded time, with a clear error. */
class HostileTrackerTest {
    static final NetConfig CONFIG = NetConfig.defaults()
            .withTrackerTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200), 2);
    final MultiTrackerClient client = new MultiTrackerClient(CONFIG);
    ServerSocket server;
    DatagramSocket udp;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (udp != null) {
            udp.close();
        }
    }

    /** An HTTP tracker that answers every connection with {@code answer}. */
    String http(Consumer<Socket> answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "http://127.0.0.1:" + server.getLocalPort() + "/announce";
    }

    static Consumer<Socket> reply(int status, byte[] body) {
        return s -> {
            try (s) {
                s.getInputStream().read(new byte[4096]);
                s.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
            } catch (IOException e) {
                // the client hung up: fine
            }
        };
    }

    TrackerException failure(String url) {
        long start = System.nanoTime();
        var e = assertThrows(ExecutionException.class, () -> client.announce(url,
                TrackerRoundTripTest.request(TrackerRoundTripTest.HASH, 7001, 5, AnnounceEvent.STARTED))
                .get(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "bounded in time");
        assertTrue(e.getCause() instanceof TrackerException, e.toString());
        return (TrackerException) e.getCause();
    }

    AnnounceReply success(String url) throws Exception {
        return client.announce(url, TrackerRoundTripTest.request(TrackerRoundTripTest.HASH, 7001, 5,
                AnnounceEvent.STARTED)).get(30, TimeUnit.SECONDS);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void silentHttpTrackerTimesOut() throws Exception {
        String url = http(s -> {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(failure(url).getMessage().contains("did not answer in time"));
    }

    @Test
    void garbageTooLargeErrorsAndBadPeerListsAreRejected() throws Exception {
        assertTrue(failure(http(reply(200, ascii("<html>hello</html>")))).getMessage().contains("not bencode"));
        close();
        assertTrue(failure(http(reply(200, new byte[3 << 20]))).getMessage().contains("over 1024 KiB"));
        close();
        assertTrue(failure(http(reply(500, ascii("oops")))).getMessage().contains("HTTP 500"));
        close();
        assertTrue(failure(http(reply(403, ascii("d14:failure reason6:bannede")))).getMessage()
                .contains("refused: banned"), "a failure reason with an error status");
        close();
        assertTrue(failure(http(reply(200, ascii("d8:intervali60e5:peers7:1234567e")))).getMessage()
                .contains("not a multiple of 6"));
        close();
        assertTrue(failure(http(reply(200, ascii("d5:peers0:e")))).getMessage().contains("no interval"));
        close();
        assertTrue(failure(http(reply(200, ascii("li1ee")))).getMessage().contains("not a dictionary"));
        close();
        assertTrue(failure(http(reply(200, ascii("d14:failure reason11:go away nowe")))).getMessage()
                .contains("refused: go away now"));
    }

    @Test
    void aTolerableReplyIsReadWithItsExtras() throws Exception {
        // keys out of order (some trackers), a warning, a tracker id, dictionary peers with one bad entry, peers6
        byte[] six = HexFormat.of().parseHex("000000000000000000000000000000011ae1");
        byte[] body = concat(ascii("d8:intervali120e5:peersld2:ip9:127.0.0.24:porti6881eed2:ip3:bad4:porti0eee"
                + "15:warning message5:slow!10:tracker id3:abc12:min intervali60e6:peers618:"), six, ascii("e"));
        var r = success(http(reply(200, body)));
        assertEquals(Duration.ofSeconds(120), r.interval());
        assertEquals(Duration.ofSeconds(60), r.minInterval().orElseThrow());
        assertEquals("abc", r.trackerId().orElseThrow());
        assertEquals("slow!", r.warning().orElseThrow());
        assertEquals(java.util.List.of(new PeerAddress("127.0.0.2", 6881), new PeerAddress("::1", 6881)), r.peers());
    }

    @Test
    void nothingListeningFailsFast() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertTrue(failure("http://127.0.0.1:" + port + "/announce").getMessage().contains("unreachable"));
        assertTrue(failure("udp://127.0.0.1:" + port).getMessage().matches(".*(unreachable|did not answer).*"));
        assertTrue(failure("gopher://x/announce").getMessage().contains("unsupported"));
    }

    /** A UDP tracker whose answers come from {@code answer}: given a request, the datagrams to send back. */
    String udp(java.util.function.Function<ByteBuffer, java.util.List<ByteBuffer>> answer) throws IOException {
        udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            var p = new DatagramPacket(new byte[2048], 2048);
            while (!udp.isClosed()) {
                try {
                    udp.receive(p);
                    for (ByteBuffer out : answer.apply(ByteBuffer.wrap(p.getData(), 0, p.getLength()).slice())) {
                        udp.send(new DatagramPacket(out.array(), out.limit(), p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "udp://127.0.0.1:" + udp.getLocalPort();
    }

    static ByteBuffer connected(int tx) {
        return ByteBuffer.allocate(16).putInt(0).putInt(tx).putLong(77).flip();
    }

    @Test
    void silentUdpTrackerGivesUpAfterBoundedRetries() throws Exception {
        int[] requests = {0};
        String url = udp(in -> {
            requests[0]++;
            return java.util.List.of();
        });
        assertTrue(failure(url).getMessage().contains("did not answer in time"));
        assertEquals(3, requests[0], "the first try and two retries");
    }

    @Test
    void udpRepliesForOtherTransactionsAreIgnoredAndErrorsReported() throws Exception {
        String url = udp(in -> {
            int action = in.getInt(8);
            int tx = in.getInt(12);
            if (action == 0) {
                return java.util.List.of(connected(tx + 1), ByteBuffer.wrap(new byte[5]), connected(tx));
            }
            var wrongTx = ByteBuffer.allocate(26).putInt(1).putInt(tx + 1).putInt(60).putInt(0).putInt(0)
                    .put(new byte[] {1, 2, 3, 4, 0, 1}).flip();
            var ours = ByteBuffer.allocate(26).putInt(1).putInt(tx).putInt(60).putInt(3).putInt(4)
                    .put(new byte[] {127, 0, 0, 9, 0x1a, (byte) 0xe1}).flip();
            return java.util.List.of(wrongTx, ours);
        });
        var r = success(url);
        assertEquals(java.util.List.of(new PeerAddress("127.0.0.9", 6881)), r.peers());
        assertEquals(4, r.seeders());
        assertEquals(3, r.leechers());
        close();
        String refusing = udp(in -> {
            int tx = in.getInt(12);
            if (in.getInt(8) == 0) {
                return java.util.List.of(connected(tx));
            }
            return java.util.List.of(ByteBuffer.allocate(8 + 9).putInt(3).putInt(tx).put(ascii("forbidden")).flip());
        });
        assertTrue(failure(refusing).getMessage().contains("refused: forbidden"));
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
