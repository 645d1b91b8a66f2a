package dev.jtorr.domain.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SwarmRegistryTest {
    static final Digest A = Digest.ofHex("aa".repeat(20));
    static final Digest B = Digest.ofHex("bb".repeat(20));
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final SplittableRandom random = new SplittableRandom(7);
    final SwarmRegistry registry = new SwarmRegistry(SwarmRegistry.Config.defaults(Duration.ofMinutes(30)));

    static Endpoint peer(int n) {
        return new Endpoint(new byte[] {10, 0, (byte) (n >> 8), (byte) n}, 6881);
    }

    SwarmRegistry.Selection announce(Digest h, int n, long left, AnnounceEvent e, int want, Instant now) {
        return registry.announce(h, peer(n), left, e, want, now, random);
    }

    @Test
    void peersSeeEachOtherButNotThemselves() {
        announce(A, 1, 100, AnnounceEvent.STARTED, -1, T0);
        var second = announce(A, 2, 100, AnnounceEvent.STARTED, -1, T0);
        assertEquals(java.util.List.of(peer(1)), second.peers());
        assertEquals(0, second.complete());
        assertEquals(2, second.incomplete());
        assertEquals(java.util.List.of(peer(2)), announce(A, 1, 50, AnnounceEvent.NONE, -1, T0).peers());
        assertTrue(announce(B, 3, 1, AnnounceEvent.STARTED, -1, T0).peers().isEmpty(), "swarms are separate");
    }

    @Test
    void seedsCountAndGetLeechersBeforeOtherSeeds() {
        announce(A, 1, 0, AnnounceEvent.STARTED, -1, T0);
        announce(A, 2, 10, AnnounceEvent.STARTED, -1, T0);
        assertEquals(java.util.List.of(peer(2)), announce(A, 3, 0, AnnounceEvent.STARTED, 1, T0).peers(),
                "a seed needs leechers first");
        // aria2 fetching a magnet link's metadata announces left=0: it must still find the seeds
        var seed2 = announce(A, 3, 0, AnnounceEvent.STARTED, -1, T0);
        assertEquals(java.util.List.of(peer(2), peer(1)), seed2.peers(), "then the other seeds");
        assertEquals(2, seed2.complete());
        var done = announce(A, 2, 0, AnnounceEvent.COMPLETED, -1, T0);
        assertEquals(3, done.complete());
        assertEquals(0, done.incomplete());
        assertEquals(new ScrapeStats(3, 1, 0), registry.scrape(A));
        assertEquals(new ScrapeStats(0, 0, 0), registry.scrape(B));
    }

    @Test
    void stoppedRemovesOnlyTheSender() {
        announce(A, 1, 10, AnnounceEvent.STARTED, -1, T0);
        announce(A, 2, 10, AnnounceEvent.STARTED, -1, T0);
        var after = announce(A, 1, 10, AnnounceEvent.STOPPED, -1, T0);
        assertEquals(1, after.incomplete());
        assertEquals(java.util.List.of(), announce(A, 2, 10, AnnounceEvent.NONE, -1, T0).peers());
        announce(A, 2, 10, AnnounceEvent.STOPPED, -1, T0);
        assertEquals(0, registry.totals().swarms(), "an empty swarm is forgotten");
    }

    @Test
    void numWantIsCappedAndSelectionsVary() {
        for (int i = 0; i < 500; i++) {
            announce(A, i, 10, AnnounceEvent.STARTED, -1, T0);
        }
        assertEquals(50, announce(A, 0, 10, AnnounceEvent.NONE, -1, T0).peers().size());
        assertEquals(200, announce(A, 0, 10, AnnounceEvent.NONE, 100_000, T0).peers().size());
        assertEquals(0, announce(A, 0, 10, AnnounceEvent.NONE, 0, T0).peers().size());
        Set<Endpoint> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            var peers = announce(A, 0, 10, AnnounceEvent.NONE, 50, T0).peers();
            assertEquals(50, new HashSet<>(peers).size(), "no duplicates in one reply");
            assertFalse(peers.contains(peer(0)));
            seen.addAll(peers);
        }
        assertTrue(seen.size() > 300, "random starting points spread the swarm: " + seen.size());
    }

    @Test
    void silentPeersExpire() {
        announce(A, 1, 10, AnnounceEvent.STARTED, -1, T0);
        announce(A, 2, 0, AnnounceEvent.STARTED, -1, T0.plus(Duration.ofMinutes(40)));
        assertEquals(1, registry.expire(T0.plus(Duration.ofMinutes(62))));
        assertEquals(new ScrapeStats(1, 0, 0), registry.scrape(A));
        assertEquals(1, registry.expire(T0.plus(Duration.ofMinutes(200))));
        assertEquals(0, registry.totals().swarms());
    }

    @Test
    void allowListAndLimitsRefuse() {
        var strict = new SwarmRegistry(new SwarmRegistry.Config(Duration.ofMinutes(1), 50, 200, 1, 2,
                Optional.of(Set.of(A, B))));
        Digest other = Digest.ofHex("cc".repeat(20));
        var e = assertThrows(AnnounceRefusedException.class,
                () -> strict.announce(other, peer(1), 0, AnnounceEvent.STARTED, -1, T0, random));
        assertTrue(e.getMessage().contains("allow-list"));
        strict.announce(A, peer(1), 0, AnnounceEvent.STARTED, -1, T0, random);
        strict.announce(A, peer(2), 0, AnnounceEvent.STARTED, -1, T0, random);
        assertThrows(AnnounceRefusedException.class,
                () -> strict.announce(A, peer(3), 0, AnnounceEvent.STARTED, -1, T0, random));
        assertThrows(AnnounceRefusedException.class,
                () -> strict.announce(B, peer(1), 0, AnnounceEvent.STARTED, -1, T0, random));
        strict.announce(A, peer(2), 0, AnnounceEvent.NONE, -1, T0, random); // known peers still re-announce
    }
}
