package dev.jtorr.application.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** When the DHT peer source looks up: at once, sooner while nothing is found, then every interval. */
class DhtPeersTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Instant> lookups = new ArrayList<>();
    private final List<PeerAddress> pool = new ArrayList<>();
    private List<PeerAddress> answer = List.of();
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

    private final DhtNetwork.Node node = new DhtNetwork.Node() {
        @Override
        public void getPeers(Digest infoHash, int announcePort, Consumer<List<PeerAddress>> peers, IntConsumer done) {
            lookups.add(now);
            if (!answer.isEmpty()) {
                peers.accept(answer);
            }
            done.accept(answer.size());
        }

        @Override
        public int nodes() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    private List<Long> secondsOfLookups(DhtPeers source, int seconds) {
        for (int s = 0; s <= seconds; s++) {
            now = t0.plusSeconds(s);
            source.tick(now);
        }
        return lookups.stream().map(t -> Duration.between(t0, t).toSeconds()).toList();
    }

    @Test
    void nothingFoundRetriesSoonThenLessAndLessOften() {
        var source = new DhtPeers(List.of(Digest.ofHex("00".repeat(20))), node, NOW, () -> 6881, pool::addAll);
        // 10 s, then twice as long each time, never more than the 15-minute interval
        assertEquals(List.of(0L, 10L, 30L, 70L, 150L, 310L, 630L, 1270L, 2170L), secondsOfLookups(source, 2200));
    }

    @Test
    void peersFoundGoToThePoolAndTheNextLookupIsAnIntervalLater() {
        answer = List.of(new PeerAddress("127.0.0.1", 7000));
        var source = new DhtPeers(List.of(Digest.ofHex("00".repeat(20))), node, NOW, () -> 6881, pool::addAll);
        assertEquals(List.of(0L, 900L), secondsOfLookups(source, 1000));
        assertEquals(List.of(answer.get(0), answer.get(0)), pool);
    }
}
