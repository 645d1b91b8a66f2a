package dev.jtorr.application.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.RecordingPeerConnection;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.piece.PieceLayerTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A magnet-linked v2 torrent's piece layers, run by run, each proved to its file's root before it is kept. */
class PieceLayerFetchingTest {
    private static final long PIECE = 16 * 1024;

    /** A v2-only torrent of one 9 MiB file: 576 pieces, two runs of piece hashes. */
    private static Metainfo v2Torrent() {
        byte[] data = new byte[9 << 20];
        new Random(3).nextBytes(data);
        var store = new InMemoryMetainfoStore();
        var created = new CreateTorrentService(new InMemoryContentReader().put("v.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("v.bin"), Optional.empty(), Optional.of(PIECE),
                TorrentVersion.V2, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false));
        return MetainfoParser.parse(store.get(created.file()));
    }

    private final Metainfo metainfo = v2Torrent();
    private final byte[] layer = metainfo.pieceLayers().values().iterator().next();
    private final PieceLayerTree tree = PieceLayerTree.of(layer, PIECE, Sha.sha256());

    private Peer peer(int key) {
        return new Peer(key, new RecordingPeerConnection(metainfo), null, 576, Instant.EPOCH, false);
    }

    private static List<PeerMessage.HashRequest> requests(Peer peer) {
        return ((RecordingPeerConnection) peer.connection).sent().stream()
                .filter(m -> m instanceof PeerMessage.HashRequest).map(m -> (PeerMessage.HashRequest) m).toList();
    }

    private PeerMessage.Hashes answer(PeerMessage.HashRequest request) {
        return new PeerMessage.Hashes(request.range(), tree.answer(request.range()).orElseThrow());
    }

    @Test
    void everyRunIsAskedOnceAndTheLayerIsWholeOnceTheyAreIn() {
        var fetching = new PieceLayerFetching(metainfo.info());
        assertTrue(PieceLayerFetching.needed(metainfo.info()));
        Peer honest = peer(1);
        fetching.ask(honest);
        assertEquals(2, requests(honest).size());
        fetching.ask(honest);
        assertEquals(2, requests(honest).size(), "nothing is asked twice");
        for (var r : requests(honest)) {
            assertFalse(fetching.done());
            fetching.received(honest, answer(r));
        }
        assertTrue(fetching.done());
        assertArrayEquals(layer, fetching.layers().values().iterator().next());
    }

    @Test
    void hashesThatDoNotProveOutAreRefusedAndTheRunGoesToAnotherPeer() {
        var fetching = new PieceLayerFetching(metainfo.info());
        Peer liar = peer(1);
        fetching.ask(liar);
        var first = requests(liar).get(0);
        byte[] forged = answer(first).hashes().clone();
        forged[40] ^= 1;
        assertThrows(InvalidDataException.class, () -> fetching.received(liar,
                new PeerMessage.Hashes(first.range(), forged)));
        assertThrows(InvalidDataException.class, () -> fetching.received(peer(3), answer(first)),
                "an answer from a peer that was not asked");
        fetching.left(liar); // the caller drops it
        Peer honest = peer(2);
        fetching.ask(honest);
        assertEquals(2, requests(honest).size(), "both runs are open again");
        requests(honest).forEach(r -> fetching.received(honest, answer(r)));
        assertTrue(fetching.done());
        assertArrayEquals(layer, fetching.layers().values().iterator().next());
    }

    @Test
    void aPeerThatRejectsARunIsNotAskedForItAgain() {
        var fetching = new PieceLayerFetching(metainfo.info());
        Peer refuser = peer(1);
        fetching.ask(refuser);
        var first = requests(refuser).get(0);
        fetching.received(refuser, new PeerMessage.HashReject(first.range()));
        fetching.ask(refuser);
        assertEquals(2, requests(refuser).size(), "the rejected run is not asked of it again");
        Peer other = peer(2);
        fetching.ask(other);
        assertEquals(List.of(first), requests(other));
    }
}
