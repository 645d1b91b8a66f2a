package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A connection's reader hands messages to the session faster than the session thread runs: past a bound, the
 * reader must wait (so a flooding peer is held back by TCP) rather than queue work without limit. The session's
 * thread here runs only when the test says so, which makes the bound observable.
 */
class BackpressureTest {
    /** Session threads whose tasks wait in a queue until {@link #runQueued}; timers are ignored. */
    private static final class HeldSchedulers implements SchedulerFactory {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public Scheduler create(String name) {
            return new Scheduler() {
                @Override
                public void execute(Runnable task) {
                    synchronized (tasks) {
                        tasks.add(task);
                    }
                }

                @Override
                public Cancellable after(Duration delay, Runnable task) {
                    return () -> { };
                }

                @Override
                public void shutdown() {
                }
            };
        }

        void runQueued() {
            while (true) {
                Runnable next;
                synchronized (tasks) {
                    next = tasks.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }
    }

    /** Captures the handler the session gives for the one peer it dials. */
    private static final class CapturingNetwork implements PeerNetwork {
        final AtomicReference<PeerConnection.Handler> handler = new AtomicReference<>();

        @Override
        public Listening listen(String bindAddress, int port, Acceptor acceptor) {
            return new Listening() {
                @Override
                public int port() {
                    return 6881;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void connect(PeerAddress address, Handshake ours, PeerConnection.Handler h) {
            handler.set(h);
        }
    }

    private static PeerConnection connection(Metainfo metainfo) {
        var remote = Handshake.ours(metainfo.infoHashes().v1().orElseThrow(),
                PeerId.generate(new SplittableRandom(9)));
        return new PeerConnection() {
            public PeerAddress address() {
                return new PeerAddress("10.0.0.2", 6881);
            }

            public Handshake remote() {
                return remote;
            }

            public boolean outgoing() {
                return true;
            }

            public void send(PeerMessage message) {
            }

            public long queuedBytes() {
                return 0;
            }

            public void close(String reason) {
            }
        };
    }

    @Test
    void aReaderWaitsWhenItsConnectionHasTooMuchUnhandledAndGoesOnOnceTheSessionCatchesUp() throws Exception {
        var store = new InMemoryMetainfoStore();
        var content = new InMemoryContentReader().put("data.bin", new byte[1 << 20]);
        var created = new CreateTorrentService(content, store, new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(
                Path.of("data.bin"), Optional.empty(), Optional.of(32L * 1024), TorrentVersion.V1, List.of(),
                List.of(), false, Optional.empty(), Optional.empty(), false, false));
        var schedulers = new HeldSchedulers();
        var network = new CapturingNetwork();
        var runtime = new SwarmRuntime(store, new InMemoryPieceStorage(), network, TrackerClient.NONE, schedulers,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), new SplittableRandom(1),
                ProgressListener.NONE, 1);
        var handle = new DownloadTorrentService(runtime).start(new DownloadTorrentCommand(created.file(),
                Path.of("leecher"), false, SessionOptions.defaults(List.of(new PeerAddress("10.0.0.2", 6881)), 6881)));
        schedulers.runQueued(); // the first tick dials the peer
        PeerConnection.Handler handler = network.handler.get();
        assertNotNull(handler, "the session dialled its peer");
        PeerConnection peer = connection(created.metainfo());
        handler.connected(peer);
        schedulers.runQueued();

        var handedOver = new AtomicInteger();
        var reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 40; i++) {
                handler.receivedAll(peer, List.of(PeerMessage.KEEP_ALIVE, new PeerMessage.Have(1)));
                handedOver.incrementAndGet();
            }
        });
        for (int i = 0; i < 400 && handedOver.get() < 16; i++) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        int held = handedOver.get();
        assertTrue(reader.isAlive(), "the reader waits");
        assertTrue(held >= 1 && held < 40, "a bounded number of batches went in before the reader had to wait: "
                + held);
        for (int round = 0; round < 400 && reader.isAlive(); round++) {
            schedulers.runQueued(); // the session catches up, batch by batch the reader goes on
            Thread.sleep(5);
        }
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the reader went on once the session had handled its batches");
        assertEquals(40, handedOver.get());
        handle.close();
        schedulers.runQueued();
    }
}
