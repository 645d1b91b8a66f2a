package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Malicious and broken peers on loopback against the real jtorr: the download still completes correctly from the
 * honest seeder, the bad peer is dropped or banned, and a seeder survives floods and junk.
 */
class HostilePeerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(FakePeer.Behaviour.class)
    void aDownloadCompletesCorrectlyBesideAHostilePeer(FakePeer.Behaviour behaviour) throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 2 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "32KiB");
        int pieces = (int) ((Files.size(content) + 32767) / 32768);
        int seedPort = Ports.free();
        try (var fake = new FakePeer(behaviour, pieces);
             var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--upload-limit", "4MiB")) {
            // the hostile peer is listed first, so it is dialled before the honest one
            JsonNode finished = SwarmInteropTest.jtorrDownload(torrent, dir.resolve("downloads"),
                    "127.0.0.1:" + fake.port(), "127.0.0.1:" + seedPort);
            SwarmInteropTest.assertSameTree(content, dir.resolve("downloads").resolve(content.getFileName()));
            assertTrue(fake.connections() >= 1, "the hostile peer was dialled");
            if (behaviour == FakePeer.Behaviour.CORRUPT) {
                assertEquals(1, finished.path("banned_peers").asInt(), finished.toString());
                assertTrue(finished.path("failed_pieces").asInt() >= 1, finished.toString());
            }
            if (behaviour == FakePeer.Behaviour.HUGE_LENGTH || behaviour == FakePeer.Behaviour.WRONG_INFO_HASH) {
                awaitDropped(fake);
            }
        }
    }

    private static void awaitDropped(FakePeer fake) throws InterruptedException {
        for (int i = 0; i < 100 && fake.droppedByPeer() == 0; i++) {
            Thread.sleep(50);
        }
        assertTrue(fake.droppedByPeer() >= 1, "jtorr hung up on the hostile peer");
    }

    @Test
    void aSeederDropsRequestFloodsAndJunkAndKeepsServing() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 1 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "16KiB");
        byte[] infoHash = v1InfoHash(torrent);
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, port)) {
            // a flood: thousands of requests, never reading the answers
            assertTrue(hungUp(port, infoHash, (out) -> {
                out.writeInt(1);
                out.writeByte(2); // interested
                for (int i = 0; i < 5000; i++) {
                    out.writeInt(13);
                    out.writeByte(6);
                    out.writeInt(i % 64);
                    out.writeInt(0);
                    out.writeInt(16384);
                }
            }), "flooding peer disconnected");
            // requests for pieces that do not exist or that are too large
            assertTrue(hungUp(port, infoHash, (out) -> {
                for (int i = 0; i < 50; i++) {
                    out.writeInt(13);
                    out.writeByte(6);
                    out.writeInt(1_000_000 + i);
                    out.writeInt(0);
                    out.writeInt(1 << 20);
                }
            }), "peer sending invalid requests disconnected");
            // junk instead of a handshake
            assertTrue(hungUp(port, null, (out) -> out.write(new byte[100])), "junk handshake refused");
            // and the seeder still serves an honest peer
            SwarmInteropTest.jtorrDownload(torrent, dir.resolve("downloads"), "127.0.0.1:" + port);
            SwarmInteropTest.assertSameTree(content, dir.resolve("downloads").resolve(content.getFileName()));
        }
    }

    /**
     * A peer that sends, as fast as loopback allows, messages that cost the session more than they cost to read
     * (bitfields of a 1,025-piece torrent, each recounting availability), at a seeder with a 64 MiB heap: it must stay
     * up and go on serving. (The bound on queued work that makes this safe is tested deterministically in
     * {@code BackpressureTest}; here the flood is real.)
     */
    @Test
    void aSeederFloodedWithCostlyMessagesStaysUpAndKeepsServing() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 16 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "16KiB");
        byte[] infoHash = v1InfoHash(torrent);
        int port = Ports.free();
        try (var seeder = JtorrProcess.jtorrWithHeap(dir, "64m", "seed", content.toString(), "--torrent",
                torrent.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--json")) {
            seeder.await(e -> e.path("phase").asText().equals("seeding"), TIMEOUT);
            var chunk = new java.io.ByteArrayOutputStream();
            var message = new DataOutputStream(chunk);
            int pieces = (int) ((Files.size(content) + 16383) / 16384);
            byte[] bits = new byte[(pieces + 7) / 8];
            java.util.Arrays.fill(bits, (byte) 0x55); // half the pieces: a leecher, so it is not dropped as a seed
            bits[bits.length - 1] = 0; // no spare bits set
            while (chunk.size() < 64 * 1024) {
                message.writeInt(1 + bits.length);
                message.writeByte(5);
                message.write(bits);
            }
            byte[] flood = chunk.toByteArray();
            long sent = 0;
            try (var socket = new Socket("127.0.0.1", port)) {
                var out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16));
                handshake(out, infoHash);
                long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                try {
                    while (System.nanoTime() < end) {
                        out.write(flood);
                        sent += flood.length;
                    }
                } catch (IOException e) {
                    // dropped by the seeder: allowed, as long as it stays up
                }
            }
            assertTrue(sent > 0);
            assertTrue(seeder.isAlive(), "the seeder survived " + sent + " bytes of bitfields:\n"
                    + seeder.output());
            SwarmInteropTest.jtorrDownload(torrent, dir.resolve("downloads"), "127.0.0.1:" + port);
            SwarmInteropTest.assertSameTree(content, dir.resolve("downloads").resolve(content.getFileName()));
            assertTrue(seeder.isAlive(), seeder.output());
        }
    }

    @Test
    void aSeederStopsWithAClearErrorWhenItsDataChangesOnDisk() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 1 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "16KiB");
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, Ports.free())) {
            Files.write(content, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            assertEquals(1, seeder.waitFor(Duration.ofSeconds(30)), seeder.output());
            assertTrue(seeder.output().contains("the data changed on disk while seeding"), seeder.output());
        }
    }

    interface Script {
        void send(DataOutputStream out) throws IOException;
    }

    private static byte[] v1InfoHash(Path torrent) {
        return HexFormat.of().parseHex(Tools.json(dev.jtorr.adapters.cli.wiring.CliRun.of("info",
                torrent.toString(), "--json").out()).path("info_hash_v1").asText());
    }

    /** Sends a BEP 3 handshake for {@code infoHash} as a peer with no extensions. */
    private static void handshake(DataOutputStream out, byte[] infoHash) throws IOException {
        out.writeByte(19);
        out.write("BitTorrent protocol".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(new byte[8]);
        out.write(infoHash);
        out.write("-FK0001-flooder12345".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Connects, handshakes (unless {@code infoHash} is null), runs the script, and says whether jtorr hung up. */
    private static boolean hungUp(int port, byte[] infoHash, Script script) throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            var out = new DataOutputStream(s.getOutputStream());
            var in = new DataInputStream(s.getInputStream());
            if (infoHash != null) {
                handshake(out, infoHash);
                in.readNBytes(68);
            }
            try {
                script.send(out);
                out.flush();
            } catch (IOException e) {
                return true; // reset while we were still sending
            }
            try {
                while (in.read(new byte[65536]) >= 0) {
                    // read what it sends until it closes
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }
}
