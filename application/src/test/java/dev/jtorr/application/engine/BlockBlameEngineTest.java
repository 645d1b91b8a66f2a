package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.ScriptedPeer;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * BEP 52 block-level integrity on the simulated network: a v2 piece that fails with blocks from more than one peer
 * has its leaf hashes asked of a peer, checked against the piece's hash, and the exact sender of the corrupt block
 * banned alone; a peer whose leaf hashes do not prove out is dropped; either way the download completes.
 */
class BlockBlameEngineTest {
    private static final int PORT = 6881;
    private static final int PIECE = 64 * 1024; // 4 blocks a piece
    private static final int TARGET = 5;
    private static final BlockRequest CORRUPT = new BlockRequest(TARGET, 0, 16 * 1024);
    private static final String US = "10.0.0.1";

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final byte[] data = new byte[20 * PIECE + 5000];
    private final Path file;
    private final Metainfo metainfo;
    private final List<String> notices = new ArrayList<>();
    private final MessageDigest sha256 = Sha.sha256();
    private TorrentHandle handle;
    private boolean corruptSent;

    BlockBlameEngineTest() {
        new Random(5).nextBytes(data);
        file = new CreateTorrentService(new InMemoryContentReader().put("a.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("a.bin"), Optional.empty(), Optional.of((long) PIECE),
                TorrentVersion.V2, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false))
                .file();
        metainfo = MetainfoParser.parse(store.get(file));
    }

    /** A peer that records what it gets and acts on it by a script, and whether it was let go before the end. */
    private final class Scripted extends ScriptedPeer {
        boolean closedBeforeComplete;

        Scripted() {
            onClosed = () -> closedBeforeComplete = !complete();
        }

        List<HashRange> leafRequests() {
            return got.stream().filter(m -> m instanceof PeerMessage.HashRequest r && r.range().baseLayer() == 0)
                    .map(m -> ((PeerMessage.HashRequest) m).range()).toList();
        }
    }

    private Scripted peer(String host) {
        var s = new Scripted();
        var id = PeerId.generate(new Random(host.hashCode()));
        swarm.node(host, 10_000_000).listen("", PORT, EncryptionPolicy.DISABLE, new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                return Optional.of(new PeerNetwork.Accepted(Handshake.ours(theirs.infoHash(), id).withFast(), s));
            }
        });
        return s;
    }

    private PeerMessage.Piece block(BlockRequest r) {
        return new PeerMessage.Piece(r.piece(), r.offset(),
                ByteBuffer.wrap(data, r.piece() * PIECE + r.offset(), r.length()).slice());
    }

    /** The true leaf hashes of {@code range}: each block's SHA-256, zero leaves past the file's end. */
    private byte[] leaves(HashRange range) {
        byte[] out = new byte[range.length() * 32];
        for (int i = 0; i < range.length(); i++) {
            long from = (long) (range.index() + i) * MerkleTree.BLOCK_SIZE;
            if (from < data.length) {
                sha256.reset();
                sha256.update(data, (int) from, (int) Math.min(MerkleTree.BLOCK_SIZE, data.length - from));
                MerkleTree.digestInto(sha256, out, i * 32);
            }
        }
        return out;
    }

    /** A seed of every piece that serves blocks (all but the corrupt one's, until that is sent) and leaf hashes. */
    private Scripted honest(String host, boolean answersLeafHashes) {
        Scripted s = peer(host);
        s.onConnected = p -> p.send(PeerMessage.HAVE_ALL, PeerMessage.UNCHOKE);
        s.onMessage = (p, m) -> {
            if (m instanceof PeerMessage.Request r) {
                // the corrupt block can only come from the liar: we make it ask there
                p.send(r.block().equals(CORRUPT) && !corruptSent ? new PeerMessage.RejectRequest(r.block())
                        : block(r.block()));
            } else if (m instanceof PeerMessage.HashRequest r) {
                p.send(answersLeafHashes ? new PeerMessage.Hashes(r.range(), leaves(r.range()))
                        : new PeerMessage.HashReject(r.range()));
            }
        };
        return s;
    }

    /** Has only the target piece and sends one corrupt block of it, once; rejects every other request. */
    private Scripted liar(String host, boolean answersLeafHashes) {
        Scripted s = peer(host);
        var bits = new Bitfield(metainfo.info().pieceCount());
        bits.set(TARGET);
        s.onConnected = p -> p.send(new PeerMessage.Bitfield(bits.toWire()), PeerMessage.UNCHOKE);
        s.onMessage = (p, m) -> {
            if (m instanceof PeerMessage.Request r) {
                if (r.block().equals(CORRUPT) && !corruptSent) {
                    corruptSent = true;
                    PeerMessage.Piece good = block(r.block());
                    byte[] bad = new byte[r.block().length()];
                    good.data().duplicate().get(bad);
                    bad[100] ^= 1;
                    p.send(new PeerMessage.Piece(r.block().piece(), r.block().offset(), ByteBuffer.wrap(bad)));
                } else {
                    p.send(new PeerMessage.RejectRequest(r.block()));
                }
            } else if (m instanceof PeerMessage.HashRequest r) {
                p.send(answersLeafHashes ? new PeerMessage.Hashes(r.range(), leaves(r.range()))
                        : new PeerMessage.HashReject(r.range()));
            }
        };
        return s;
    }

    private TorrentHandle download(String... peers) {
        var runtime = new SwarmRuntime(store, storage, swarm.node(US, 10_000_000), TrackerClient.NONE, swarm, swarm,
                new SplittableRandom(3), ProgressListener.NONE, 1);
        Engine engine = Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.DISABLE, 0, 0, 50));
        engine.subscribe(e -> {
            if (e instanceof EngineEvent.Notice n) {
                synchronized (notices) {
                    notices.add(n.message());
                }
            }
        });
        var options = new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "",
                PORT, 50, 0, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.DISABLE);
        handle = engine.download(file, Path.of(US), options, true);
        return handle;
    }

    private boolean complete() {
        return handle != null && handle.status() != null && handle.status().verifiedBytes() == data.length;
    }

    private boolean noticed(String text) {
        synchronized (notices) {
            return notices.stream().anyMatch(n -> n.contains(text));
        }
    }

    @Test
    void oneCorruptBlockIsPinnedOnItsSenderAloneByTheLeafHashesAndTheDownloadCompletes() {
        Scripted liar = liar("10.0.0.3", true);
        Scripted seed = honest("10.0.0.2", true);
        download("10.0.0.3", "10.0.0.2");
        assertTrue(swarm.runUntil(this::complete, Duration.ofMinutes(1)), "complete: " + notices);
        assertTrue(corruptSent, "the liar sent its corrupt block");
        assertArrayEquals(data, storage.stream(Path.of(US, "a.bin")));
        var asked = new ArrayList<>(liar.leafRequests());
        asked.addAll(seed.leafRequests());
        assertEquals(List.of(new HashRange(metainfo.info().files().get(0).piecesRoot().orElseThrow(), 0, 4 * TARGET,
                4, 0)), asked, "the failed piece's four leaf hashes, asked once");
        assertTrue(noticed("failed its BEP 52 leaf hash"), "banned on the leaf hashes: " + notices);
        assertTrue(liar.closedBeforeComplete, "the liar is banned");
        assertFalse(seed.closedBeforeComplete, "the honest seed is not");
        assertEquals(1, handle.status().bannedPeers());
    }

    @Test
    void aPeerWhoseLeafHashesDoNotProveOutIsDroppedAndTheDownloadCompletes() {
        Scripted liar = liar("10.0.0.3", false);
        Scripted seed = honest("10.0.0.2", false);
        Scripted forger = peer("10.0.0.4"); // has every piece, sends none, forges leaf hashes
        forger.onConnected = p -> p.send(PeerMessage.HAVE_ALL);
        forger.onMessage = (p, m) -> {
            if (m instanceof PeerMessage.HashRequest r) {
                byte[] forged = leaves(r.range());
                forged[5] ^= 1;
                p.send(new PeerMessage.Hashes(r.range(), forged));
            }
        };
        download("10.0.0.3", "10.0.0.2", "10.0.0.4");
        assertTrue(swarm.runUntil(this::complete, Duration.ofMinutes(1)), "complete: " + notices);
        assertTrue(corruptSent, "the liar sent its corrupt block");
        assertArrayEquals(data, storage.stream(Path.of(US, "a.bin")));
        assertEquals(1, forger.leafRequests().size(), "the forger was asked");
        assertTrue(forger.closedBeforeComplete, "the forger is dropped for its hashes");
        assertFalse(seed.closedBeforeComplete, "the honest seed is kept");
        assertFalse(noticed("failed its BEP 52 leaf hash"), "no hashes proved out, so none was used: " + notices);
    }
}
