package dev.jtorr.domain.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.domain.InvalidDataException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataMessageTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void requestsAndRejectsAreTheBepsDictionaries() {
        assertEquals("d8:msg_typei0e5:piecei3ee", text(new MetadataMessage.Request(3).encode()));
        assertEquals("d8:msg_typei2e5:piecei1ee", text(new MetadataMessage.Reject(1).encode()));
    }

    @Test
    void dataCarriesItsBytesAfterTheDictionary() {
        byte[] wire = new MetadataMessage.Data(0, 5, bytes("hello")).encode();
        assertEquals("d8:msg_typei1e5:piecei0e10:total_sizei5eehello", text(wire));
        var back = (MetadataMessage.Data) MetadataMessage.decode(wire);
        assertEquals(0, back.piece());
        assertEquals(5, back.totalSize());
        assertArrayEquals(bytes("hello"), back.data());
    }

    @Test
    void keysInAnyOrderAreRead() {
        assertEquals(new MetadataMessage.Request(7), MetadataMessage.decode(bytes("d5:piecei7e8:msg_typei0ee")));
    }

    @Test
    void anUnknownTypeIsKeptToBeIgnored() {
        assertEquals(new MetadataMessage.Unknown(0, 9), MetadataMessage.decode(bytes("d8:msg_typei9e5:piecei0ee")));
    }

    @Test
    void malformedMessagesAreProtocolErrors() {
        for (String bad : new String[] {"", "le", "d5:piecei0ee", "d8:msg_typei0ee", "d8:msg_typei0e5:piecei-1ee",
                "d8:msg_typei0e5:piecei0eextra", "d8:msg_typei1e5:piecei0ee",
                "d8:msg_typei1e5:piecei0e10:total_sizei0ee", "d8:msg_type", "i5e"}) {
            assertThrows(InvalidDataException.class, () -> MetadataMessage.decode(bytes(bad)), bad);
        }
    }

    @Test
    void aDataPieceLargerThanSixteenKibIsRefused() {
        byte[] wire = new MetadataMessage.Data(0, 1 << 20, new byte[MetadataMessage.PIECE + 1]).encode();
        assertThrows(InvalidDataException.class, () -> MetadataMessage.decode(wire));
    }
}
