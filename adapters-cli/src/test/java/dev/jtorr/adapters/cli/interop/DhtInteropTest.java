package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.jtorr.adapters.net.dht.DhtConfig;
import dev.jtorr.adapters.net.dht.DhtModule;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHT end to end on loopback: a torrent with no tracker, a download with no {@code --peer}, and the peers found
 * through DHT nodes only. The bootstrap node runs in this JVM; nothing here can reach another host (the DHT adapter
 * is loopback-only in tests).
 */
class DhtInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private static final String LT_DHT = SwarmInteropTest.script("lt_dht.py");

    private DhtNetwork.Node bootstrap;
    private final List<DhtNetwork.Node> nodes = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(DhtNetwork.Node::close);
    }

    private static int freeUdpPort() throws Exception {
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private DhtNetwork.Node node(int port, List<PeerAddress> bootstrapFrom) {
        var network = Guice.createInjector(new DhtModule(new DhtConfig(Optional.empty(), true)))
                .getInstance(DhtNetwork.class);
        var node = network.start("127.0.0.1", port, bootstrapFrom).orElseThrow();
        nodes.add(node);
        return node;
    }

    /**
     * A DHT node in this JVM on 127.0.0.1 for the others to bootstrap from, and two more that joined through it
     * (libtorrent keeps the nodes it bootstraps from out of its table, so it needs others); returns its address.
     */
    private String startBootstrapNode() throws Exception {
        int port = freeUdpPort();
        bootstrap = node(port, List.of());
        for (int i = 0; i < 2; i++) {
            node(freeUdpPort(), List.of(new PeerAddress("127.0.0.1", port)));
        }
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (bootstrap.nodes() < 2 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return "127.0.0.1:" + port;
    }

    /** Asks the bootstrap node for the peers of {@code hash} until {@code expected} is among them. */
    private void awaitAnnounced(Digest hash, PeerAddress expected) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            Set<PeerAddress> found = ConcurrentHashMap.newKeySet();
            var done = new CountDownLatch(1);
            bootstrap.getPeers(hash, 0, found::addAll, n -> done.countDown());
            assertTrue(done.await(20, TimeUnit.SECONDS));
            if (found.contains(expected)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(expected + " never announced " + hash.hex());
    }

    /** A libtorrent seeder of {@code torrent} that joined the DHT through {@code node}, once it has announced. */
    private JtorrProcess libtorrentDhtSeed(String node, Path torrent, Path content, Digest hash) throws Exception {
        int port = Ports.free();
        var lt = JtorrProcess.start(dir, "libtorrent DHT seed", List.of(Tools.PYTHON, LT_DHT, "seed",
                torrent.toString(), content.getParent().toString(), String.valueOf(port), "--bootstrap", node,
                "--seconds", "120"));
        try {
            lt.awaitEvent("seeding", TIMEOUT);
            awaitAnnounced(hash, new PeerAddress("127.0.0.1", port));
            return lt;
        } catch (Exception | AssertionError e) {
            lt.close();
            throw e;
        }
    }

    @Test
    void jtorrDownloadsFromAJtorrSeederFoundThroughTheDhtAlone() throws Exception {
        String node = startBootstrapNode();
        Path content = SwarmInteropTest.content(dir, false, 700_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "64KiB");
        var hashes = MetainfoParser.parse(Files.readAllBytes(torrent)).infoHashes();
        int seedPort = Ports.free();
        try (var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--dht", "--dht-bootstrap",
                node)) {
            // a hybrid torrent is announced under both its hashes
            awaitAnnounced(hashes.v1().orElseThrow(), new PeerAddress("127.0.0.1", seedPort));
            awaitAnnounced(hashes.v2Truncated().orElseThrow(), new PeerAddress("127.0.0.1", seedPort));
            Path out = dir.resolve("out");
            SwarmInteropTest.jtorrDownload(torrent, out, List.of("--dht", "--dht-bootstrap", node, "--no-trackers"));
            assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())));
        }
        // stopped by a signal, the seeder saved its routing table in its state folder on the way out
        assertTrue(Files.size(dir.resolve(".state").resolve("jtorr").resolve("dht-nodes.dat")) > 0);
    }

    @Test
    void jtorrDownloadsFromALibtorrentSeederFoundThroughTheDhtAlone() throws Exception {
        Tools.requireLibtorrent();
        String node = startBootstrapNode();
        Path content = SwarmInteropTest.content(dir, false, 500_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        Digest hash = MetainfoParser.parse(Files.readAllBytes(torrent)).infoHashes().v1().orElseThrow();
        try (var lt = libtorrentDhtSeed(node, torrent, content, hash)) {
            Path out = dir.resolve("out");
            SwarmInteropTest.jtorrDownload(torrent, out, List.of("--dht", "--dht-bootstrap", node, "--no-trackers"));
            assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())));
        }
    }

    /**
     * BEP 5's port message with libtorrent: neither DHT node has a bootstrap node, so each can learn of the other only
     * from the peer connection, where each side sets the DHT bit, sends its port, and pings the node the other's
     * port message names (the exact rule is DhtEngineTest's). The table jtorr saves on exit holds libtorrent's node.
     */
    @Test
    void aLibtorrentPeersDhtNodeJoinsOurTableThroughThePortMessages() throws Exception {
        Tools.requireLibtorrent();
        Path content = SwarmInteropTest.content(dir, false, 500_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        int ltPort = Ports.free();
        Path table = dir.resolve(".state").resolve("jtorr").resolve("dht-nodes.dat");
        try (var lt = JtorrProcess.start(dir, "libtorrent DHT seed", List.of(Tools.PYTHON, LT_DHT, "seed",
                torrent.toString(), content.getParent().toString(), String.valueOf(ltPort), "--seconds", "120"))) {
            lt.awaitEvent("seeding", TIMEOUT);
            try (var jtorr = JtorrProcess.jtorr(dir, "download", torrent.toString(), "-o", dir.resolve("out")
                    .toString(), "--port", String.valueOf(Ports.free()), "--bind", "127.0.0.1", "--json", "--dht",
                    "--dht-bootstrap", "none", "--no-trackers", "--peer", "127.0.0.1:" + ltPort)) {
                assertEquals(0, jtorr.waitFor(TIMEOUT), jtorr.output());
            }
        }
        assertEquals(-1L, Files.mismatch(content, dir.resolve("out").resolve(content.getFileName())));
        // written only when the table is not empty, and libtorrent's is the only node it can have met
        assertTrue(Files.isRegularFile(table) && Files.size(table) > 0, "jtorr saved a routing table");
    }

    @Test
    void jtorrResolvesAMagnetFromALibtorrentSeederFoundThroughTheDhtAlone() throws Exception {
        Tools.requireLibtorrent();
        String node = startBootstrapNode();
        Path content = SwarmInteropTest.content(dir, true, 600_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "32KiB");
        Digest hash = MetainfoParser.parse(Files.readAllBytes(torrent)).infoHashes().v1().orElseThrow();
        try (var lt = libtorrentDhtSeed(node, torrent, content, hash)) {
            Path out = dir.resolve("out");
            // no tr=, no x.pe=, no --peer: the metadata's peers and the data's come from the DHT alone
            try (var jtorr = JtorrProcess.jtorr(dir, "download", "magnet:?xt=urn:btih:" + hash.hex(), "-o",
                    out.toString(), "--port", "0", "--bind", "127.0.0.1", "--json", "--dht", "--dht-bootstrap", node,
                    "--no-trackers")) {
                assertEquals(0, jtorr.waitFor(Duration.ofSeconds(90)), jtorr.output());
                assertTrue(jtorr.awaitEvent("finished", TIMEOUT).path("complete").asBoolean(), jtorr.output());
            }
            Path saved = dir.resolve("torrents").resolve(content.getFileName() + ".torrent");
            assertEquals(hash, MetainfoParser.parse(Files.readAllBytes(saved)).infoHashes().v1().orElseThrow());
            try (var files = Files.walk(content)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertEquals(-1L, Files.mismatch(f, out.resolve(content.getParent().relativize(f))), f.toString());
                }
            }
        }
    }

    @Test
    void libtorrentDownloadsFromAJtorrSeederFoundThroughTheDhtAlone() throws Exception {
        Tools.requireLibtorrent();
        String node = startBootstrapNode();
        Path content = SwarmInteropTest.content(dir, false, 500_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        Digest hash = MetainfoParser.parse(Files.readAllBytes(torrent)).infoHashes().v1().orElseThrow();
        int seedPort = Ports.free();
        try (var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--dht", "--dht-bootstrap",
                node)) {
            awaitAnnounced(hash, new PeerAddress("127.0.0.1", seedPort));
            Path out = dir.resolve("lt-out");
            Files.createDirectories(out);
            try (var lt = JtorrProcess.start(dir, "libtorrent DHT download", List.of(Tools.PYTHON, LT_DHT,
                    "download", torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--bootstrap", node,
                    "--seconds", "60"))) {
                assertEquals(0, lt.waitFor(Duration.ofSeconds(90)), lt.output());
            }
            assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())));
        }
    }
}
