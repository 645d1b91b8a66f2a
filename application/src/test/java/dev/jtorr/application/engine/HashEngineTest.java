package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.LeafHashes;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.PieceLayerTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BEP 52 hash requests to a seeding engine from a scripted peer on the simulated network: piece-layer and leaf-layer
 * requests are answered with hashes that prove out to the file's pieces root, everything else with a hash reject, a flood is
 * bounded, and hash messages about a v1 torrent end the connection.
 */
class HashEngineTest {
    private static final int PORT = 6881;
    private static final int PIECE = 32 * 1024;
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final byte[] data = new byte[(3 << 20) + 1234]; // 97 pieces: a padded layer of 128
    private final List<PeerMessage> got = new ArrayList<>();
    private PeerConnection connection;
    private boolean closed;

    private Metainfo seed(TorrentVersion version) {
        new Random(7).nextBytes(data);
        Path file = new CreateTorrentService(new InMemoryContentReader().put("a.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("a.bin"), Optional.empty(), Optional.of((long) PIECE),
                version, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false)).file();
        Metainfo metainfo = MetainfoParser.parse(store.get(file));
        var id = PeerId.generate(new Random(11));
        swarm.node(PEER, 10_000_000).listen("", PORT, EncryptionPolicy.DISABLE, new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                return Optional.of(new PeerNetwork.Accepted(Handshake.ours(theirs.infoHash(), id), handler()));
            }
        });
        storage.seed(Path.of(US, "a.bin"), metainfo, data);
        var runtime = new SwarmRuntime(store, storage, swarm.node(US, 10_000_000), TrackerClient.NONE, swarm, swarm,
                new SplittableRandom(3), ProgressListener.NONE, 1);
        var options = new SessionOptions(List.of(new PeerAddress(PEER, PORT)), "", PORT, 50, 0, 0, 0, false,
                64L << 20, List.of(), true, EncryptionPolicy.DISABLE);
        Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.DISABLE, 0, 0, 50))
                .seed(file, Path.of(US, "a.bin"), options, true);
        assertTrue(swarm.runUntil(() -> connection != null, Duration.ofSeconds(30)), "the seed dials the peer");
        return metainfo;
    }

    private PeerConnection.Handler handler() {
        return new PeerConnection.Handler() {
            @Override
            public void connected(PeerConnection c) {
                connection = c;
            }

            @Override
            public void received(PeerConnection c, PeerMessage m) {
                got.add(m);
            }

            @Override
            public void closed(PeerConnection c, String reason) {
                closed = true;
            }

            @Override
            public void failed(PeerAddress address, String reason) {
            }
        };
    }

    private <T extends PeerMessage> List<T> got(Class<T> type) {
        return got.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private int pieces() {
        return (data.length + PIECE - 1) / PIECE;
    }

    private int answers() {
        return got(PeerMessage.Hashing.class).size();
    }

    @Test
    void pieceLayerRequestsAreAnsweredWithHashesThatProveOutToThePiecesRoot() {
        Metainfo metainfo = seed(TorrentVersion.V2);
        Digest root = metainfo.pieceLayers().keySet().iterator().next();
        int pieces = metainfo.info().pieceCount();
        HashRange whole = PieceLayerTree.request(root, pieces, PIECE, 0);
        var half = new HashRange(root, whole.baseLayer(), 64, 64, whole.proofLayers());
        connection.send(new PeerMessage.HashRequest(whole));
        connection.send(new PeerMessage.HashRequest(half));
        assertTrue(swarm.runUntil(() -> answers() == 2, Duration.ofSeconds(10)), got.toString());
        List<PeerMessage.Hashes> hashes = got(PeerMessage.Hashes.class);
        assertEquals(2, hashes.size(), got.toString());
        assertEquals(whole, hashes.get(0).range());
        byte[] layer = PieceLayerTree.verify(whole, hashes.get(0).hashes(), pieces, PIECE, Sha.sha256());
        assertArrayEquals(metainfo.pieceLayers().get(root), layer);
        PieceLayerTree.verify(half, hashes.get(1).hashes(), pieces, PIECE, Sha.sha256());
    }

    /** The true hashes of the leaves of {@code range}: each block's SHA-256, zero past the file's end. */
    private byte[] leaves(HashRange range) {
        MessageDigest sha256 = Sha.sha256();
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

    /** Folds the base hashes and the uncles of an answer up; returns the node reached. */
    private static byte[] proveUp(HashRange range, byte[] hashes) {
        MessageDigest sha256 = Sha.sha256();
        byte[] node = MerkleTree.root(hashes, range.length(), range.length(), new byte[32], sha256);
        int position = range.index() >> Integer.numberOfTrailingZeros(range.length());
        for (int u = 0; u < range.uncleCount(); u++, position >>= 1) {
            byte[] uncle = Arrays.copyOfRange(hashes, (range.length() + u) * 32, (range.length() + u + 1) * 32);
            sha256.reset();
            sha256.update(position % 2 == 0 ? node : uncle);
            sha256.update(position % 2 == 0 ? uncle : node);
            node = sha256.digest();
        }
        return node;
    }

    @Test
    void leafHashRequestsAreAnsweredFromVerifiedDataWithProofsUpToThePiecesRoot() {
        Metainfo metainfo = seed(TorrentVersion.V2);
        Digest root = metainfo.pieceLayers().keySet().iterator().next();
        // 194 blocks in 97 pieces of 2: a tree of 256 leaves, 8 layers below the root
        List<HashRange> asked = List.of(new HashRange(root, 0, 0, 256, 7), new HashRange(root, 0, 64, 2, 7),
                new HashRange(root, 0, 5, 1, 7), new HashRange(root, 0, 192, 64, 7), new HashRange(root, 0, 8, 4, 3));
        asked.forEach(r -> connection.send(new PeerMessage.HashRequest(r)));
        assertTrue(swarm.runUntil(() -> answers() == asked.size(), Duration.ofSeconds(10)), got.toString());
        List<PeerMessage.Hashes> hashes = got(PeerMessage.Hashes.class);
        assertEquals(asked.size(), hashes.size(), got.toString());
        for (PeerMessage.Hashes h : hashes) {
            HashRange r = h.range();
            assertEquals(r.length() + r.uncleCount(), h.hashes().length / 32, r.toString());
            assertArrayEquals(leaves(r), Arrays.copyOf(h.hashes(), r.length() * 32), r.toString());
            if (r.proofLayers() == 7) {
                assertArrayEquals(root.bytes(), proveUp(r, h.hashes()), "proves out to the pieces root: " + r);
            }
        }
        // what a downloader asks after a piece fails (LeafHashes.request) is answered in a form it accepts
        for (int k : new int[] {0, 40, pieces() - 1}) {
            LeafHashes.Request leafRequest = LeafHashes.request(root, data.length, PIECE, k);
            got.clear();
            connection.send(new PeerMessage.HashRequest(leafRequest.range()));
            assertTrue(swarm.runUntil(() -> answers() == 1, Duration.ofSeconds(10)), got.toString());
            byte[] pieceHash = Arrays.copyOfRange(metainfo.pieceLayers().get(root), k * 32, k * 32 + 32);
            LeafHashes.verify(leafRequest, got(PeerMessage.Hashes.class).get(0).hashes(), pieceHash, Sha.sha256());
        }
        var partial = hashes.stream().filter(h -> h.range().proofLayers() == 3).findFirst().orElseThrow();
        // its proof stops at layer 4 (16 leaves): the 8 pieces under it, from the piece layer
        byte[] node = proveUp(partial.range(), partial.hashes());
        var pieces = PieceLayerTree.of(metainfo.pieceLayers().get(root), PIECE, Sha.sha256());
        assertArrayEquals(pieces.node(3, 0), node);
    }

    @Test
    void everythingElseIsAHashRejectAndAFloodIsBounded() {
        Metainfo metainfo = seed(TorrentVersion.V2);
        Digest root = metainfo.pieceLayers().keySet().iterator().next();
        int base = PieceLayerTree.baseLayer(PIECE);
        List<HashRange> refused = List.of(new HashRange(root, 0, 0, 512, 9), // leaf hashes past the padded tree of 256
                new HashRange(root, 0, 0, 2, 8), // leaf hashes with a proof layer above the root
                new HashRange(new Digest(new byte[32]), base, 0, 128, 6), // a root we do not know
                new HashRange(root, base, 128, 2, 6), // past the padded layer
                new HashRange(root, base, 2, 4, 6), // index not a multiple of the length
                new HashRange(root, base, 0, 1024, 6)); // over the cap
        refused.forEach(r -> connection.send(new PeerMessage.HashRequest(r)));
        assertTrue(swarm.runUntil(() -> answers() == refused.size(), Duration.ofSeconds(10)), got.toString());
        assertEquals(refused, got(PeerMessage.HashReject.class).stream().map(PeerMessage.HashReject::range).toList());
        got.clear();
        var ok = new HashRange(root, base, 0, 2, 6);
        int flood = 3 * 50;
        for (int i = 0; i < flood; i++) {
            connection.send(new PeerMessage.HashRequest(ok));
        }
        assertTrue(swarm.runUntil(() -> answers() == flood, Duration.ofSeconds(10)), got.toString());
        assertTrue(got(PeerMessage.HashReject.class).size() >= flood - 2 * 50, "at most 50 a second answered: "
                + got(PeerMessage.Hashes.class).size());
        assertTrue(!closed, "rejects, not a disconnect");
    }

    @Test
    void hashMessagesAboutAV1TorrentOrHashesNeverAskedForEndTheConnection() {
        seed(TorrentVersion.V1);
        connection.send(new PeerMessage.HashRequest(new HashRange(new Digest(new byte[32]), 1, 0, 2, 0)));
        assertTrue(swarm.runUntil(() -> closed, Duration.ofSeconds(10)), got.toString());
    }
}
