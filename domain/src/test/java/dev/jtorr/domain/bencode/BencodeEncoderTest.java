package dev.jtorr.domain.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BencodeEncoderTest {
    private static String encoded(BValue value) {
        return new String(BencodeEncoder.encode(value), StandardCharsets.ISO_8859_1);
    }

    @Test
    void integersInShortestDecimalForm() {
        assertEquals("i0e", encoded(BInteger.of(0)));
        assertEquals("i7e", encoded(BInteger.of(7)));
        assertEquals("i-1e", encoded(BInteger.of(-1)));
        assertEquals("i1234567890123e", encoded(BInteger.of(1234567890123L)));
        assertEquals("i9223372036854775807e", encoded(BInteger.of(Long.MAX_VALUE)));
        assertEquals("i-9223372036854775808e", encoded(BInteger.of(Long.MIN_VALUE)));
    }

    @Test
    void stringsCarryTheirByteLengthAndDictionariesSortTheirKeysAsBytes() {
        assertEquals("0:", encoded(new BString(new byte[0])));
        assertEquals("13:héllo wörld", new String(BencodeEncoder.encode(BString.of("héllo wörld")),
                StandardCharsets.UTF_8));
        var d = BDictionary.builder().put("\uE000", 1).put("\uD83D\uDE00", 2).put("b", new BList(List.of(
                BString.of("x"), BInteger.of(10)))).put("a", "").build();
        // U+E000 is EE 80 80 in UTF-8, U+1F600 is F0 9F 98 80: byte order, not UTF-16 order
        assertEquals("d1:a0:1:bl1:xi10ee3:\uE000i1e4:\uD83D\uDE00i2ee",
                new String(BencodeEncoder.encode(d), StandardCharsets.UTF_8));
    }
}
