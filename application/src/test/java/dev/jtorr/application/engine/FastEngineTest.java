package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
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
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import dev.jtorr.domain.wire.AllowedFastSet;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * BEP 6 (Fast extension) and BEP 21 (upload_only) between an engine and scripted peers on the simulated network: what
 * the engine says, how it answers, and how it takes what peers say, hostile peers included.
 */
class FastEngineTest {
    private static final int PORT = 6881;
    private static final int PIECE = 32 * 1024;
    private static final String US = "10.0.0.1";

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final byte[] data = new byte[2 << 20];
    private final Path file;
    private final Metainfo metainfo;

    FastEngineTest() {
        new Random(5).nextBytes(data);
        file = new CreateTorrentService(new InMemoryContentReader().put("a.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("a.bin"), Optional.empty(), Optional.of((long) PIECE),
                TorrentVersion.V1, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false))
                .file();
        metainfo = MetainfoParser.parse(store.get(file));
    }

    private int pieces() {
        return metainfo.info().pieceCount();
    }

    /** A peer that records what it gets and acts on it by a script. */
    private static final class Scripted extends ScriptedPeer {
    }

    /** A scripted peer listening on {@code host}; its handshake sets the Fast bit and BEP 10's as asked. */
    private Scripted peer(String host, boolean fast, boolean extensions) {
        var s = new Scripted();
        var id = PeerId.generate(new Random(host.hashCode()));
        swarm.node(host, 10_000_000).listen("", PORT, EncryptionPolicy.DISABLE, new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                Handshake h = Handshake.ours(theirs.infoHash(), id);
                h = fast ? h.withFast() : h;
                return Optional.of(new PeerNetwork.Accepted(extensions ? h.withExtensions() : h, s));
            }
        });
        return s;
    }

    private PeerMessage.Piece block(BlockRequest r) {
        return new PeerMessage.Piece(r.piece(), r.offset(),
                ByteBuffer.wrap(data, r.piece() * PIECE + r.offset(), r.length()).slice());
    }

    private Engine engine() {
        var runtime = new SwarmRuntime(store, storage, swarm.node(US, 10_000_000), TrackerClient.NONE, swarm, swarm,
                new SplittableRandom(3), ProgressListener.NONE, 1);
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.DISABLE, 0, 0, 50));
    }

    private static SessionOptions options(int uploadSlots, String... peers) {
        return new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50,
                uploadSlots, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.DISABLE);
    }

    private TorrentHandle download(String... peers) {
        return engine().download(file, Path.of(US), options(0, peers), true);
    }

    private TorrentHandle seed(String... peers) {
        storage.seed(Path.of(US, "a.bin"), metainfo, data);
        return engine().seed(file, Path.of(US, "a.bin"), options(0, peers), true);
    }

    private boolean complete(TorrentHandle h) {
        return h.status() != null && h.status().verifiedBytes() == data.length;
    }

    // ---- downloading from a Fast peer ---------------------------------------------------------------------------

    @Test
    void haveAllIsEveryPieceAndRejectedRequestsGoBackToThePicker() {
        Scripted seed = peer("10.0.0.2", true, false);
        var rejected = new ArrayList<BlockRequest>();
        seed.onConnected = s -> s.send(PeerMessage.HAVE_ALL, PeerMessage.UNCHOKE);
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                if (rejected.size() < 8 && !rejected.contains(r.block())) {
                    rejected.add(r.block()); // the first eight asked are refused once
                    s.send(new PeerMessage.RejectRequest(r.block()));
                } else {
                    s.send(block(r.block()));
                }
            }
        };
        TorrentHandle h = download("10.0.0.2");
        assertTrue(swarm.runUntil(() -> complete(h), Duration.ofMinutes(1)), "complete from a have-all seed");
        assertFalse(seed.closed);
        assertEquals(8, rejected.size());
        var asked = seed.got(PeerMessage.Request.class).stream().map(PeerMessage.Request::block).toList();
        for (BlockRequest r : rejected) {
            assertEquals(2, asked.stream().filter(r::equals).count(), "asked again after its reject: " + r);
        }
    }

    @Test
    void haveNoneIsNoPieceUntilTheHavesComeAndLaterBitfieldsOrHaveAllOnlyAdd() {
        Scripted peer = peer("10.0.0.2", true, false);
        peer.onConnected = s -> s.send(PeerMessage.HAVE_NONE, PeerMessage.UNCHOKE);
        peer.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                s.send(block(r.block()));
            }
        };
        TorrentHandle h = download("10.0.0.2");
        swarm.runUntil(() -> false, Duration.ofSeconds(3));
        assertTrue(peer.got(PeerMessage.Interested.class).isEmpty(), "nothing to want: " + peer.got);
        assertInstanceOf(PeerMessage.HaveNone.class, peer.got.get(0), "we have nothing either: " + peer.got);
        peer.send(new PeerMessage.Have(3));
        assertTrue(swarm.runUntil(() -> h.status().verifiedBytes() == PIECE, Duration.ofSeconds(10)),
                h.status() + " " + peer.got);
        assertEquals(1, peer.got(PeerMessage.Interested.class).size());
        assertTrue(peer.got(PeerMessage.Request.class).stream().allMatch(r -> r.block().piece() == 3));
        // aria2 sends a bitfield in place of many haves, and have all once complete: neither takes a piece away
        var more = new Bitfield(pieces());
        more.set(3);
        more.set(4);
        peer.send(new PeerMessage.Bitfield(more.toWire()));
        assertTrue(swarm.runUntil(() -> h.status().verifiedBytes() == 2 * PIECE, Duration.ofSeconds(10)));
        peer.send(PeerMessage.HAVE_ALL);
        assertTrue(swarm.runUntil(() -> complete(h), Duration.ofMinutes(1)));
    }

    @Test
    void aChokingPeerIsAskedForThePiecesItAllowsAndNothingElse() {
        Scripted seed = peer("10.0.0.2", true, false);
        seed.onConnected = s -> s.send(PeerMessage.HAVE_ALL, new PeerMessage.AllowedFast(2),
                new PeerMessage.AllowedFast(5));
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                s.send(block(r.block()));
            }
        };
        TorrentHandle h = download("10.0.0.2");
        assertTrue(swarm.runUntil(() -> h.status() != null && h.status().verifiedBytes() == 2 * PIECE,
                Duration.ofSeconds(10)), "both allowed pieces downloaded while choked");
        swarm.runUntil(() -> false, Duration.ofSeconds(5));
        var asked = seed.got(PeerMessage.Request.class).stream().map(r -> r.block().piece()).distinct().sorted()
                .toList();
        assertEquals(List.of(2, 5), asked);
        assertEquals(2 * PIECE / Blocks.SIZE, seed.got(PeerMessage.Request.class).size(), "each block once");
    }

    @Test
    void aChokeFromAFastPeerKeepsOurRequestsUntilItAnswersThem() {
        Scripted seed = peer("10.0.0.2", true, false);
        var choked = new boolean[1];
        var answered = new ArrayList<BlockRequest>();
        seed.onConnected = s -> s.send(PeerMessage.HAVE_ALL, PeerMessage.UNCHOKE);
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r && !choked[0]) {
                choked[0] = true; // choke at the first request; that one is still served (BEP 6), the rest rejected
                s.send(PeerMessage.CHOKE, block(r.block()));
                answered.add(r.block());
            } else if (m instanceof PeerMessage.Request r && choked[0] && answered.size() < 1000) {
                s.send(new PeerMessage.RejectRequest(r.block()));
            }
        };
        TorrentHandle h = download("10.0.0.2");
        swarm.runUntil(() -> false, Duration.ofSeconds(3));
        assertEquals(Blocks.SIZE, h.status().downloaded(), "the block sent after the choke counts");
        int before = seed.got(PeerMessage.Request.class).size();
        assertTrue(before > 1, "a pipeline of requests was out: " + before);
        assertFalse(seed.closed, "its rejects answered requests we made");
        // unchoked again: everything it rejected is asked for again and the download completes
        answered.add(null);
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                s.send(block(r.block()));
            }
        };
        seed.send(PeerMessage.UNCHOKE);
        assertTrue(swarm.runUntil(() -> complete(h), Duration.ofMinutes(1)));
    }

    /** What a hostile peer does; each ends its own connection, never the torrent. */
    enum Hostile {
        REJECT_NEVER_REQUESTED, ALLOWED_FAST_OUT_OF_RANGE, SUGGEST_OUT_OF_RANGE, HAVE_ALL_THEN_BITFIELD,
        HAVE_NONE_AFTER_HAVE, FAST_MESSAGE_WITHOUT_NEGOTIATING
    }

    @ParameterizedTest
    @EnumSource(Hostile.class)
    void aHostileFastPeerIsDroppedAndTheDownloadGoesOnFromTheOthers(Hostile hostile) {
        Scripted liar = peer("10.0.0.3", hostile != Hostile.FAST_MESSAGE_WITHOUT_NEGOTIATING, false);
        int n = pieces();
        liar.onConnected = s -> {
            switch (hostile) {
                case REJECT_NEVER_REQUESTED -> s.send(PeerMessage.HAVE_ALL,
                        new PeerMessage.RejectRequest(new BlockRequest(0, 0, Blocks.SIZE)));
                case ALLOWED_FAST_OUT_OF_RANGE -> s.send(PeerMessage.HAVE_ALL, new PeerMessage.AllowedFast(n));
                case SUGGEST_OUT_OF_RANGE -> s.send(PeerMessage.HAVE_ALL, new PeerMessage.SuggestPiece(-1));
                case HAVE_ALL_THEN_BITFIELD -> s.send(PeerMessage.HAVE_ALL,
                        new PeerMessage.Bitfield(Bitfield.full(n).toWire()));
                case HAVE_NONE_AFTER_HAVE -> s.send(new PeerMessage.Have(1), PeerMessage.HAVE_NONE);
                case FAST_MESSAGE_WITHOUT_NEGOTIATING -> s.send(PeerMessage.HAVE_ALL);
            }
        };
        Scripted seed = peer("10.0.0.2", true, false);
        seed.onConnected = s -> s.send(PeerMessage.HAVE_ALL, PeerMessage.UNCHOKE);
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                s.send(block(r.block()));
            }
        };
        TorrentHandle h = download("10.0.0.3", "10.0.0.2");
        assertTrue(swarm.runUntil(() -> complete(h), Duration.ofMinutes(1)), "complete from the honest seed");
        swarm.runUntil(() -> false, Duration.ofSeconds(1));
        assertTrue(liar.closed, hostile + " ends the liar's connection");
        assertTrue(seed.closed, "the seed is let go once we are complete too (upload only)");
    }

    // ---- serving a Fast peer ---------------------------------------------------------------------------------------

    @Test
    void aSeedSaysHaveAllToAFastPeerABitfieldToOthersAndUploadOnlyToBoth() {
        Scripted fast = peer("10.0.0.2", true, true);
        Scripted plain = peer("10.0.0.3", false, true);
        seed("10.0.0.2", "10.0.0.3");
        swarm.runUntil(() -> fast.got.size() >= 2 && plain.got.size() >= 2, Duration.ofSeconds(5));
        assertInstanceOf(PeerMessage.HaveAll.class, fast.got.get(0), fast.got.toString());
        var bits = assertInstanceOf(PeerMessage.Bitfield.class, plain.got.get(0), plain.got.toString());
        assertArrayEquals(Bitfield.full(pieces()).toWire(), bits.bits());
        for (Scripted s : List.of(fast, plain)) {
            var handshake = (BDictionary) BencodeDecoder.decode(s.got(PeerMessage.Extended.class).get(0).payload());
            assertEquals(1, handshake.getInteger("upload_only").orElseThrow().value(), "BEP 21: seeding");
        }
    }

    @Test
    void aStartingPeerGetsTheCanonicalAllowedFastSetServedWhileChokedAndRejectsForTheRest() {
        Scripted leech = peer("10.0.0.2", true, false);
        leech.onConnected = s -> s.send(PeerMessage.HAVE_NONE); // never interested, so never unchoked
        seed("10.0.0.2");
        swarm.runUntil(() -> leech.got(PeerMessage.AllowedFast.class).size() == AllowedFastSet.DEFAULT_SIZE,
                Duration.ofSeconds(5));
        int[] expected = AllowedFastSet.of(AllowedFastSet.DEFAULT_SIZE, pieces(), new byte[] {10, 0, 0, 2},
                metainfo.infoHashes().v1().orElseThrow());
        assertArrayEquals(expected, leech.got(PeerMessage.AllowedFast.class).stream()
                .mapToInt(PeerMessage.AllowedFast::piece).toArray());
        int notAllowed = java.util.stream.IntStream.range(0, pieces())
                .filter(p -> java.util.Arrays.stream(expected).noneMatch(a -> a == p)).findFirst().orElseThrow();
        var allowed = new BlockRequest(expected[0], Blocks.SIZE, Blocks.SIZE);
        var refused = new BlockRequest(notAllowed, 0, Blocks.SIZE);
        leech.send(new PeerMessage.Request(allowed), new PeerMessage.Request(refused));
        swarm.runUntil(() -> false, Duration.ofSeconds(3));
        assertTrue(leech.got(PeerMessage.Unchoke.class).isEmpty());
        assertEquals(List.of(allowed), leech.got(PeerMessage.Piece.class).stream().map(PeerMessage.Piece::block)
                .toList());
        assertEquals(List.of(new PeerMessage.RejectRequest(refused)), leech.got(PeerMessage.RejectRequest.class));
        assertFalse(leech.closed);
    }

    @Test
    void chokingAFastPeerRejectsItsQueuedRequestsAfterTheChokeButNotItsAllowedFastOnes() {
        // one upload slot, taken in turns (30 s each) by two interested leechers; a slow upload keeps requests queued
        storage.seed(Path.of(US, "a.bin"), metainfo, data);
        var leechers = List.of(peer("10.0.0.2", true, false), peer("10.0.0.3", true, false));
        Map<ScriptedPeer, int[]> allowed = new HashMap<>();
        for (Scripted l : leechers) {
            l.onConnected = s -> s.send(PeerMessage.HAVE_NONE, PeerMessage.INTERESTED);
            l.onMessage = (s, m) -> {
                if (m instanceof PeerMessage.AllowedFast a) {
                    allowed.merge(s, new int[] {a.piece()}, (x, y) -> java.util.stream.IntStream.concat(
                            java.util.Arrays.stream(x), java.util.Arrays.stream(y)).toArray());
                } else if (m instanceof PeerMessage.Unchoke) {
                    // asks for the whole torrent at once, its allowed-fast pieces last
                    int[] its = allowed.get(s);
                    var order = java.util.stream.IntStream.range(0, pieces()).boxed().sorted(java.util.Comparator
                            .comparing(p -> java.util.Arrays.stream(its).anyMatch(a -> a == p))).toList();
                    for (int p : order) {
                        for (int o = 0; o < PIECE; o += Blocks.SIZE) {
                            s.send(new PeerMessage.Request(new BlockRequest(p, o, Blocks.SIZE)));
                        }
                    }
                }
            };
        }
        engine().seed(file, Path.of(US, "a.bin"), new SessionOptions(List.of(new PeerAddress("10.0.0.2", PORT),
                new PeerAddress("10.0.0.3", PORT)), "", PORT, 50, 1, 32 * 1024, 0, false, 64L << 20, List.of(), true,
                EncryptionPolicy.DISABLE), true);
        assertTrue(swarm.runUntil(() -> leechers.stream().anyMatch(l -> !l.got(PeerMessage.Choke.class).isEmpty()),
                Duration.ofSeconds(60)), "the slot changed hands");
        swarm.runUntil(() -> false, Duration.ofSeconds(5));
        Scripted first = leechers.stream().filter(l -> !l.got(PeerMessage.Choke.class).isEmpty()).findFirst()
                .orElseThrow();
        int choke = first.got.indexOf(PeerMessage.CHOKE);
        var rejects = first.got.subList(choke, first.got.size()).stream()
                .filter(PeerMessage.RejectRequest.class::isInstance).map(m -> ((PeerMessage.RejectRequest) m).block())
                .toList();
        assertFalse(rejects.isEmpty(), "its queued requests were rejected after the choke");
        assertTrue(first.got.subList(0, choke).stream().noneMatch(PeerMessage.RejectRequest.class::isInstance));
        int[] its = allowed.get(first);
        assertTrue(rejects.stream().noneMatch(r -> java.util.Arrays.stream(its).anyMatch(a -> a == r.piece())),
                "none of an allowed-fast piece");
        // no request both served and rejected: one answer each
        var served = first.got(PeerMessage.Piece.class).stream().map(PeerMessage.Piece::block).toList();
        assertTrue(rejects.stream().noneMatch(served::contains));
        assertFalse(first.closed);
    }

    // ---- BEP 21 ------------------------------------------------------------------------------------------------

    private static PeerMessage.Extended uploadOnly() {
        return new PeerMessage.Extended(0, "d1:mde11:upload_onlyi1ee".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void twoUploadOnlyPeersDoNotKeepAConnection() {
        Scripted partial = peer("10.0.0.2", true, true);
        partial.onConnected = s -> s.send(uploadOnly(), PeerMessage.HAVE_NONE);
        seed("10.0.0.2");
        assertTrue(swarm.runUntil(() -> partial.closed, Duration.ofSeconds(5)), "both only upload");
    }

    @Test
    void anUploadOnlyPeerWithNothingWeWantIsLetGoButOneWithPiecesIsKept() {
        Scripted empty = peer("10.0.0.3", true, true);
        empty.onConnected = s -> s.send(uploadOnly(), PeerMessage.HAVE_NONE);
        Scripted seed = peer("10.0.0.2", true, true);
        seed.onConnected = s -> s.send(uploadOnly(), PeerMessage.HAVE_ALL, PeerMessage.UNCHOKE);
        seed.onMessage = (s, m) -> {
            if (m instanceof PeerMessage.Request r) {
                s.send(block(r.block()));
            }
        };
        TorrentHandle h = download("10.0.0.3", "10.0.0.2");
        assertTrue(swarm.runUntil(() -> complete(h), Duration.ofMinutes(1)));
        assertTrue(empty.closed, "upload only, with nothing we want");
        var ours = (BDictionary) BencodeDecoder.decode(seed.got(PeerMessage.Extended.class).get(0).payload());
        assertTrue(ours.getInteger("upload_only").isEmpty(), "downloading, we do not say upload_only");
    }
}
