package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.jtorr.adapters.net.NetConfig;
import dev.jtorr.adapters.net.NetModule;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.testing.DialOutcome;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jtorr's network adapter against libtorrent's encryption policies, connection by connection (no transfer): what
 * each {@code --encryption} value connects to, in both directions, and how fast. libtorrent's policies are
 * lt_peer.py's: "default" (its own: encrypted first, plain text accepted), "rc4" (encrypted handshake and RC4
 * only), "handshake" (encrypted handshake only, plain text after it) and "plain" (no encryption).
 *
 * <p>The expected outcomes are the README's table: the encryption of the connection ({@code none}, {@code
 * handshake}, {@code rc4}) or {@code refused}.
 */
class EncryptionInteropTest {
    private static final List<EncryptionPolicy> POLICIES = List.of(EncryptionPolicy.PREFER,
            EncryptionPolicy.REQUIRE, EncryptionPolicy.ALLOW, EncryptionPolicy.DISABLE);
    private static final String REFUSED = "refused";

    @TempDir
    static Path dir;
    static Path content;
    static Path torrent;
    static Digest infoHash;

    @BeforeAll
    static void torrent() throws Exception {
        Tools.requireLibtorrent();
        content = SwarmInteropTest.content(dir, false, 200_000);
        torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        infoHash = MetainfoParser.parse(Files.readAllBytes(torrent)).infoHashes().v1().orElseThrow();
    }

    /** A network adapter of its own: nothing remembered from other dials. */
    private static PeerNetwork network() {
        return Guice.createInjector(new NetModule(NetConfig.defaults())).getInstance(PeerNetwork.class);
    }

    private static Handshake ours(long seed) {
        return Handshake.ours(infoHash, PeerId.generate(new SplittableRandom(seed)));
    }

    /** Dials once and hangs up once connected; completes with the connection's encryption, or "refused: why". */
    private static CompletableFuture<String> dial(PeerNetwork network, int port, EncryptionPolicy policy,
                                                  long seed) {
        var dial = new DialOutcome();
        network.connect(new PeerAddress("127.0.0.1", port), ours(seed), policy, dial);
        return dial.outcome().thenApply(o -> o.startsWith(DialOutcome.FAILED)
                ? REFUSED + ": " + o.substring(DialOutcome.FAILED.length()) : o);
    }

    private static JtorrProcess libtorrentSeed(String encryption, int port) throws InterruptedException {
        return SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0, encryption);
    }

    /**
     * 200 connections in a row to one libtorrent seeder with the default policy, as a session makes them (one
     * adapter, which remembers what got through): each one connects within a second. p50 and p99 are printed.
     */
    @ParameterizedTest(name = "libtorrent {0}")
    @CsvSource({"rc4, rc4", "handshake, handshake", "plain, none"})
    void twoHundredConnectionsInARowEachConnectWithinASecond(String ltPolicy, String expected) throws Exception {
        int port = Ports.free();
        try (var seeder = libtorrentSeed(ltPolicy, port)) {
            PeerNetwork network = network();
            var millis = new ArrayList<Double>();
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                String outcome = dial(network, port, EncryptionPolicy.PREFER, i).get(10, TimeUnit.SECONDS);
                millis.add((System.nanoTime() - start) / 1e6);
                assertEquals(expected, outcome, "connection " + i);
            }
            millis.sort(null);
            System.out.printf(Locale.ROOT, "libtorrent %s: 200 connections, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    ltPolicy, millis.get(99), millis.get(197), millis.get(199));
            assertTrue(millis.get(199) < 1000, "slowest connection took " + millis.get(199) + " ms");
        }
    }

    /** jtorr dials a libtorrent seeder with each policy: the columns are prefer, require, allow, disable. */
    @ParameterizedTest(name = "jtorr dials libtorrent {0}")
    @CsvSource({"default, handshake, rc4, none, none", "rc4, rc4, rc4, rc4, refused",
        "handshake, handshake, refused, handshake, refused", "plain, none, refused, none, none"})
    void jtorrDialsLibtorrent(String ltPolicy, String prefer, String require, String allow, String disable)
            throws Exception {
        int port = Ports.free();
        try (var seeder = libtorrentSeed(ltPolicy, port)) {
            var expected = expected(prefer, require, allow, disable);
            var actual = new LinkedHashMap<EncryptionPolicy, String>();
            for (EncryptionPolicy policy : POLICIES) {
                String outcome = dial(network(), port, policy, policy.ordinal()).get(30, TimeUnit.SECONDS);
                actual.put(policy, outcome.startsWith(REFUSED) ? REFUSED : outcome);
                System.out.println("jtorr " + policy.label() + " dials libtorrent " + ltPolicy + ": " + outcome);
            }
            assertEquals(expected, actual);
        }
    }

    /**
     * A libtorrent downloader with each policy dials four jtorr listeners, one per policy. A listener whose
     * expected outcome is a connection must get one (libtorrent redials every 2 s); the others must get none in the
     * meantime and for 3 s more.
     */
    @ParameterizedTest(name = "libtorrent {0} dials jtorr")
    @CsvSource({"default, handshake, rc4, handshake, none", "rc4, rc4, rc4, rc4, refused",
        "handshake, handshake, refused, handshake, refused", "plain, none, refused, none, none"})
    void libtorrentDialsJtorr(String ltPolicy, String prefer, String require, String allow, String disable)
            throws Exception {
        var expected = expected(prefer, require, allow, disable);
        Map<EncryptionPolicy, String> actual = new ConcurrentHashMap<>();
        var listeners = new ArrayList<PeerNetwork.Listening>();
        var command = new ArrayList<>(List.of(Tools.PYTHON, SwarmInteropTest.script("lt_peer.py"), "download",
                torrent.toString(), Files.createTempDirectory(dir, "lt").toString(), String.valueOf(Ports.free()),
                "--seconds", "60", "--encryption", ltPolicy));
        try {
            for (EncryptionPolicy policy : POLICIES) {
                var listening = network().listen("127.0.0.1", 0, policy, acceptor(connection ->
                        actual.putIfAbsent(policy, connection.encryption().label())));
                listeners.add(listening);
                command.addAll(List.of("--peer", "127.0.0.1:" + listening.port()));
            }
            try (var libtorrent = JtorrProcess.start(dir, "libtorrent download " + ltPolicy, command)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end && !expected.entrySet().stream().allMatch(e ->
                        e.getValue().equals(REFUSED) || actual.containsKey(e.getKey()))) {
                    Thread.sleep(50);
                }
                Thread.sleep(3_000);
                var got = new LinkedHashMap<EncryptionPolicy, String>();
                POLICIES.forEach(p -> got.put(p, actual.getOrDefault(p, REFUSED)));
                assertEquals(expected, got, libtorrent.output());
            }
        } finally {
            listeners.forEach(PeerNetwork.Listening::close);
        }
    }

    private static Map<EncryptionPolicy, String> expected(String... outcomes) {
        var expected = new LinkedHashMap<EncryptionPolicy, String>();
        for (int i = 0; i < POLICIES.size(); i++) {
            expected.put(POLICIES.get(i), outcomes[i]);
        }
        return expected;
    }

    /** Accepts the torrent's peers and calls {@code onConnected} for each connection, which it then closes. */
    private static PeerNetwork.Acceptor acceptor(java.util.function.Consumer<PeerConnection> onConnected) {
        return new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                if (!theirs.infoHash().equals(infoHash)) {
                    return Optional.empty();
                }
                return Optional.of(new PeerNetwork.Accepted(ours(99), new DialOutcome(onConnected)));
            }

            @Override
            public List<Digest> infoHashes() {
                return List.of(infoHash);
            }
        };
    }
}
