package dev.jtorr.domain.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import org.junit.jupiter.api.Test;

/** The feature bits of our handshake. */
class HandshakeTest {
    private final Handshake plain = Handshake.ours(new Digest(new byte[20]), new PeerId(new byte[20]));

    @Test
    void theDhtBitIsTheLowestBitOfTheLastReservedByte() {
        assertFalse(plain.supportsDht());
        Handshake dht = plain.withDht();
        assertTrue(dht.supportsDht());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, dht.reserved());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 1}, dht.withExtensions().reserved());
        assertTrue(dht.withExtensions().supportsDht());
    }

    @Test
    void otherBitsInTheLastByteDoNotMeanTheDht() {
        Handshake fast = new Handshake(new byte[] {0, 0, 0, 0, 0, 0, 0, 0x04}, new Digest(new byte[20]),
                new PeerId(new byte[20]));
        assertFalse(fast.supportsDht());
        assertTrue(fast.withDht().supportsDht());
    }
}
