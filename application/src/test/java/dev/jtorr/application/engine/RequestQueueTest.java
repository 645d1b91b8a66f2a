package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** BEP 10's reqq: a peer that says it queues only a few requests is never sent more at once. */
class RequestQueueTest {
    private static final int PORT = 6881;

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();

    /** A seed that says {@code reqq} in its extension handshake and never answers: it counts what it is asked. */
    private AtomicInteger seedWithQueue(Metainfo metainfo, String reqq) {
        var requests = new AtomicInteger();
        var id = PeerId.generate(new Random(3));
        swarm.node("seed", 1_000_000).listen("", PORT, EncryptionPolicy.DISABLE, new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                return Optional.of(new PeerNetwork.Accepted(Handshake.ours(theirs.infoHash(), id).withExtensions(),
                        new PeerConnection.Handler() {
                            @Override
                            public void connected(PeerConnection c) {
                                String handshake = "d1:mde" + reqq + "e";
                                c.send(new PeerMessage.Extended(0, handshake.getBytes(StandardCharsets.US_ASCII)));
                                c.send(new PeerMessage.Bitfield(Bitfield.full(metainfo.info().pieceCount())
                                        .toWire()));
                                c.send(PeerMessage.UNCHOKE);
                            }

                            @Override
                            public void received(PeerConnection c, PeerMessage m) {
                                if (m instanceof PeerMessage.Request) {
                                    requests.incrementAndGet();
                                }
                            }

                            @Override
                            public void closed(PeerConnection c, String reason) {
                            }

                            @Override
                            public void failed(PeerAddress address, String reason) {
                            }
                        }));
            }
        });
        return requests;
    }

    private int requestsSentWithin10s(String reqq) {
        byte[] data = new byte[4 << 20];
        new Random(1).nextBytes(data);
        var created = new CreateTorrentService(new InMemoryContentReader().put("a.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("a.bin"), Optional.empty(), Optional.of(1L << 20),
                TorrentVersion.V1, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false));
        Metainfo metainfo = MetainfoParser.parse(store.get(created.file()));
        AtomicInteger requests = seedWithQueue(metainfo, reqq);
        var runtime = new SwarmRuntime(store, new InMemoryPieceStorage(), swarm.node("leech", 1_000_000),
                TrackerClient.NONE, swarm, swarm, new SplittableRandom(1), ProgressListener.NONE, 1);
        Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.DISABLE, 0, 0, 50)).download(
                created.file(), Path.of("leech"), new SessionOptions(List.of(new PeerAddress("seed", PORT)), "",
                        PORT, 50, 4, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.DISABLE), false);
        swarm.runUntil(() -> false, Duration.ofSeconds(10));
        return requests.get();
    }

    @Test
    void aPeersReqqCapsTheRequestsItIsSentAtOnce() {
        assertEquals(3, requestsSentWithin10s("4:reqqi3e"));
    }

    @Test
    void withoutReqqOrWithNonsenseThePipelineDecides() {
        int plain = requestsSentWithin10s("");
        int nonsense = new RequestQueueTest().requestsSentWithin10s("4:reqqi0e");
        assertEquals(plain, nonsense);
        org.junit.jupiter.api.Assertions.assertTrue(plain > 3, "a pipeline of " + plain);
    }
}
