package dev.jtorr.application.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.metainfo.MetadataAssembly;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.MetadataMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fetching an info dictionary from fake peers: spread over peers, verified, and safe from peers that lie. */
class MetadataFetchingTest {
    private static final int PIECE = MetadataMessage.PIECE;
    private final byte[] info = new byte[4 * PIECE + 500];
    private final InfoHashes hashes;
    private byte[] resolved;
    private final Map<String, String> bad = new LinkedHashMap<>();
    private final MetadataFetching fetching;

    MetadataFetchingTest() {
        new Random(9).nextBytes(info);
        hashes = new InfoHashes(Optional.of(new Digest(Sha.sha1().digest(info))), Optional.empty());
        fetching = new MetadataFetching(hashes, new MetadataFetching.Listener() {
            @Override
            public void resolved(byte[] dictionary) {
                resolved = dictionary;
            }

            @Override
            public void bad(ExtensionPeer peer, String reason) {
                bad.put(peer.toString(), reason);
            }
        });
    }

    /** A peer that has {@code size} bytes of metadata and sends what the test makes it send. */
    private final class FakePeer implements ExtensionPeer {
        final String name;
        final long size;
        final List<MetadataMessage> inbox = new ArrayList<>();

        FakePeer(String name, long size) {
            this.name = name;
            this.size = size;
        }

        @Override
        public PeerAddress address() {
            return new PeerAddress(name, 1);
        }

        @Override
        public boolean supports(String extension) {
            return true;
        }

        @Override
        public BDictionary handshake() {
            return BDictionary.builder().put("metadata_size", size).build();
        }

        @Override
        public void send(String extension, byte[] payload) {
            inbox.add(MetadataMessage.decode(payload));
        }

        @Override
        public void close(String reason) {
        }

        /** The pieces asked of this peer, in order, and not yet answered by {@link #answer}. */
        List<Integer> asked() {
            return inbox.stream().filter(m -> m instanceof MetadataMessage.Request).map(MetadataMessage::piece)
                    .toList();
        }

        /** Sends the pieces it was asked for, from {@code dictionary}; forgets the requests. */
        void answer(byte[] dictionary) {
            List<Integer> pieces = asked();
            inbox.clear();
            for (int p : pieces) {
                byte[] data = Arrays.copyOfRange(dictionary, p * PIECE, Math.min(dictionary.length, (p + 1) * PIECE));
                fetching.received(this, new MetadataMessage.Data(p, dictionary.length, data).encode());
            }
        }

        void answerUntilDone(byte[] dictionary) {
            while (!asked().isEmpty()) {
                answer(dictionary);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private FakePeer join(String name, long size) {
        var p = new FakePeer(name, size);
        fetching.peerSupports(p);
        return p;
    }

    @Test
    void theWorkIsSpreadOverPeersAFewRequestsEachAndTheDictionaryVerifies() {
        FakePeer a = join("a", info.length);
        FakePeer b = join("b", info.length);
        FakePeer c = join("c", info.length);
        assertEquals(List.of(0, 1), a.asked());
        assertEquals(List.of(2, 3), b.asked());
        assertEquals(List.of(4), c.asked());
        c.answer(info);
        b.answer(info);
        a.answer(info);
        assertArrayEquals(info, resolved);
        assertEquals(Map.of(), bad);
    }

    @Test
    void aForgedPieceFromOnePeerAmongSeveralIsFoundByAskingOnePeerAloneAndThatPeerIsDropped() {
        FakePeer liar = join("liar", info.length);
        FakePeer honest = join("honest", info.length);
        byte[] forged = info.clone();
        forged[3] ^= 1;
        liar.answer(forged); // pieces 0 and 1, one of them forged
        honest.answerUntilDone(info);
        assertNull(resolved, "the assembled dictionary failed its hash and was discarded");
        // both sent part of it: one peer alone is asked next, the first one found, the liar
        assertEquals(List.of(), honest.asked());
        liar.answerUntilDone(forged);
        assertEquals("sent metadata that does not match the info-hash", bad.get("liar"));
        honest.answerUntilDone(info);
        assertArrayEquals(info, resolved);
        assertEquals(List.of("liar"), List.copyOf(bad.keySet()));
    }

    @Test
    void anAbsurdMetadataSizeDropsThePeerWithoutAskingIt() {
        FakePeer huge = join("huge", MetadataAssembly.MAX_SIZE + 1L);
        FakePeer negative = join("negative", -5);
        assertEquals(List.of(), huge.asked());
        assertEquals(List.of(), negative.asked());
        assertTrue(bad.get("huge").contains("metadata_size"), bad.toString());
        assertTrue(bad.containsKey("negative"));
        FakePeer good = join("good", info.length);
        good.answerUntilDone(info);
        assertArrayEquals(info, resolved);
    }

    @Test
    void aPiecePastTheEndOrOfAnotherSizeDropsThePeerAndItsPiecesGoToOthers() {
        FakePeer odd = join("odd", info.length);
        FakePeer good = join("good", info.length);
        fetching.received(odd, new MetadataMessage.Data(0, info.length + 1, new byte[PIECE]).encode());
        assertTrue(bad.get("odd").contains("expected " + info.length), bad.toString());
        good.answerUntilDone(info);
        assertArrayEquals(info, resolved);
        FakePeer late = join("late", info.length);
        assertEquals(List.of(), late.asked(), "nothing is asked once resolved");
    }

    @Test
    void aPiecePastTheEndDropsThePeerEvenUnasked() {
        FakePeer a = join("a", info.length);
        FakePeer b = join("b", info.length);
        fetching.received(a, new MetadataMessage.Data(9, info.length, new byte[10]).encode());
        assertTrue(bad.get("a").contains("past the end"), bad.toString());
        b.answerUntilDone(info);
        assertArrayEquals(info, resolved);
    }

    @Test
    void unaskedDataIsIgnoredAndRequestsFromPeersAreRejected() {
        FakePeer a = join("a", info.length);
        fetching.received(a, new MetadataMessage.Data(4, info.length, new byte[500]).encode());
        fetching.received(a, new MetadataMessage.Request(0).encode());
        assertEquals(new MetadataMessage.Reject(0), a.inbox.getLast());
        assertEquals(Map.of(), bad);
        assertThrows(InvalidDataException.class, () -> fetching.received(a, "i1e".getBytes()));
    }

    @Test
    void aRejectingOrStalledPeerIsAskedNoMoreAndItsPiecesGoElsewhere() {
        FakePeer rejecting = join("rejecting", info.length);
        FakePeer stalled = join("stalled", info.length);
        fetching.received(rejecting, new MetadataMessage.Reject(0).encode());
        fetching.tick(Instant.EPOCH.plus(MetadataFetching.REQUEST_TIMEOUT).plusSeconds(1));
        rejecting.inbox.clear();
        stalled.inbox.clear();
        FakePeer good = join("good", info.length);
        good.answerUntilDone(info);
        assertArrayEquals(info, resolved);
        assertEquals(List.of(), rejecting.asked());
        assertEquals(List.of(), stalled.asked());
    }

    @Test
    void aPeerThatLeavesHandsItsPiecesToTheOthers() {
        FakePeer leaving = join("leaving", info.length);
        FakePeer staying = join("staying", info.length);
        fetching.peerLeft(leaving);
        staying.answerUntilDone(info);
        assertArrayEquals(info, resolved);
    }
}
