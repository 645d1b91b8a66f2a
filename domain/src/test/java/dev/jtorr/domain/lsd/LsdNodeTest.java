package dev.jtorr.domain.lsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Our cookie, the peers an announce names, and the rate limit on what is handled. */
class LsdNodeTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Digest hash = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");
    private final Digest other = Digest.ofHex("fedcba9876543210fedcba9876543210fedcba98");
    private final LsdNode ours = new LsdNode(new SplittableRandom(1));
    private final LsdNode theirs = new LsdNode(new SplittableRandom(2));

    @Test
    void ourOwnAnnounceIsIgnoredAndAnotherClientsNamesItsPeerAtTheSourceAddress() {
        assertNotEquals(ours.cookie(), theirs.cookie());
        assertEquals(8, ours.cookie().length());
        assertEquals(List.of(), ours.receive("192.168.1.5", ours.announce(6881, List.of(hash), LsdCodec.IPV4_HOST),
                t0));
        var heard = ours.receive("192.168.1.7", theirs.announce(7000, List.of(hash, other), LsdCodec.IPV4_HOST), t0);
        var at = new PeerAddress("192.168.1.7", 7000);
        assertEquals(List.of(new LsdNode.Heard(hash, at), new LsdNode.Heard(other, at)), heard);
        assertEquals(0, ours.dropped());
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() {
        assertEquals(List.of(), ours.receive("10.0.0.2", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                t0));
        assertEquals(List.of(), ours.receive("10.0.0.2", new byte[5000], t0));
        assertEquals(2, ours.dropped());
    }

    @Test
    void oneSourceIsHeardAtMostPerSourceTimesASecondAndAllAtMostTotal() {
        byte[] announce = theirs.announce(7000, List.of(hash), LsdCodec.IPV4_HOST);
        int heard = 0;
        for (int i = 0; i < 100; i++) {
            heard += ours.receive("10.0.0.2", announce, t0).size();
        }
        assertEquals(LsdNode.PER_SOURCE, heard);
        // the next second the source is heard again
        assertEquals(1, ours.receive("10.0.0.2", announce, t0.plus(Duration.ofSeconds(1))).size());

        Instant later = t0.plus(Duration.ofSeconds(10));
        heard = 0;
        for (int i = 0; i < 1000; i++) {
            heard += ours.receive("10.1." + i / 250 + "." + (i % 250 + 1), announce, later).size();
        }
        assertEquals(LsdNode.TOTAL, heard);
        assertEquals(100 - LsdNode.PER_SOURCE + 1000 - LsdNode.TOTAL, ours.dropped());
    }
}
