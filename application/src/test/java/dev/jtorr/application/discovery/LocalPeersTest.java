package dev.jtorr.application.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a torrent announces itself on the local network (on a virtual clock ticking every second, as the session's
 * does), and where the peers heard of go.
 */
class LocalPeersTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Digest v1 = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");
    private final Digest v2 = Digest.ofHex("fedcba9876543210fedcba9876543210fedcba98");
    private final Digest otherTorrent = Digest.ofHex("00112233445566778899aabbccddeeff00112233");
    private final List<String> announced = new ArrayList<>();
    private final List<PeerAddress> pool = new ArrayList<>();
    private LocalDiscovery.Listener listener;
    private boolean closed;
    private Instant now = t0;

    /** Runs tasks at once: the test is the session's thread. */
    private static final Scheduler NOW = new Scheduler() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Cancellable after(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdown() {
        }
    };

    private final LocalDiscovery network = (bind, port, heard) -> {
        listener = heard;
        return Optional.of(new LocalDiscovery.Service() {
            @Override
            public void announce(List<Digest> infoHashes) {
                announced.add(Duration.between(t0, now).toSeconds() + "s " + port + " "
                        + infoHashes.stream().map(h -> h.hex().substring(0, 4)).toList());
            }

            @Override
            public void close() {
                closed = true;
            }
        });
    };

    private final LocalSwarm swarm = LocalSwarm.start(network, "", 6881).orElseThrow();

    private void runFor(Duration d) {
        Instant end = now.plus(d);
        while (now.isBefore(end)) {
            now = now.plusSeconds(1);
            source.tick(now);
        }
    }

    private final LocalPeers source = new LocalPeers(List.of(v1, v2), swarm, NOW, pool::addAll);

    @Test
    void aTorrentAnnouncesAtOnceWithBothHashesThenAfterOneTwoAndFourMinutesThenEveryFive() {
        runFor(Duration.ofMinutes(23));
        assertEquals(List.of("1s 6881 [0123, fedc]", "61s 6881 [0123, fedc]", "181s 6881 [0123, fedc]",
                "421s 6881 [0123, fedc]", "721s 6881 [0123, fedc]", "1021s 6881 [0123, fedc]",
                "1321s 6881 [0123, fedc]"), announced);
    }

    @Test
    void onceAPeerIsHeardOfItIsEveryFiveMinutesAndNeverTwiceInAMinute() {
        runFor(Duration.ofSeconds(30));
        listener.heard(v2, new PeerAddress("192.168.1.7", 7000));
        runFor(Duration.ofMinutes(16));
        assertEquals(List.of("1s 6881 [0123, fedc]", "61s 6881 [0123, fedc]", "361s 6881 [0123, fedc]",
                "661s 6881 [0123, fedc]", "961s 6881 [0123, fedc]"), announced);
        assertEquals(List.of(new PeerAddress("192.168.1.7", 7000)), pool);
    }

    @Test
    void peersOfOtherTorrentsGoNowhereAndNothingArrivesAfterTheSourceStopped() {
        runFor(Duration.ofSeconds(1));
        listener.heard(otherTorrent, new PeerAddress("192.168.1.8", 7000));
        assertEquals(List.of(), pool);
        listener.heard(v1, new PeerAddress("192.168.1.9", 7000));
        assertEquals(List.of(new PeerAddress("192.168.1.9", 7000)), pool);

        boolean[] done = {false};
        source.stop(() -> done[0] = true);
        assertTrue(done[0]);
        listener.heard(v1, new PeerAddress("192.168.1.10", 7000));
        runFor(Duration.ofMinutes(10));
        assertEquals(List.of(new PeerAddress("192.168.1.9", 7000)), pool);
        assertEquals(1, announced.size(), "a stopped source announces no more");
    }

    @Test
    void twoTorrentsHearTheirOwnPeersAndClosingTheSwarmClosesTheService() {
        var otherPool = new ArrayList<PeerAddress>();
        var other = new LocalPeers(List.of(otherTorrent), swarm, NOW, otherPool::addAll);
        source.tick(now);
        other.tick(now);
        listener.heard(otherTorrent, new PeerAddress("192.168.1.8", 7000));
        listener.heard(v2, new PeerAddress("192.168.1.9", 7000));
        assertEquals(List.of(new PeerAddress("192.168.1.8", 7000)), otherPool);
        assertEquals(List.of(new PeerAddress("192.168.1.9", 7000)), pool);
        swarm.close();
        assertTrue(closed);
    }

    @Test
    void aNetworkWithoutLocalDiscoveryGivesNoSwarm() {
        assertTrue(LocalSwarm.start(LocalDiscovery.OFF, "", 6881).isEmpty());
    }
}
