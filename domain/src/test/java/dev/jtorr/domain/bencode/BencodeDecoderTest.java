package dev.jtorr.domain.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeDecoderTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesEveryType() {
        BValue v = BencodeDecoder.decode(b("d0:0:3:bari-42e3:fool4:spami0eee"));
        var dict = (BDictionary) v;
        assertEquals(new BInteger(-42), dict.get("bar").orElseThrow());
        assertEquals(BList.of(BString.of("spam"), BInteger.of(0)), dict.get("foo").orElseThrow());
        assertEquals(BString.of(""), dict.get("").orElseThrow());
    }

    @Test
    void decodesTheWholeLongRange() {
        assertEquals(Long.MAX_VALUE, ((BInteger) BencodeDecoder.decode(b("i9223372036854775807e"))).value());
        assertEquals(Long.MIN_VALUE, ((BInteger) BencodeDecoder.decode(b("i-9223372036854775808e"))).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i0e", "i-1e", "4:spam", "0:", "le", "de", "lli1eee", "d1:ad1:bleee",
        "d1:a0:1:b0:e", "l4:spami7ed0:0:ee"})
    void canonicalInputRoundTripsToTheSameBytes(String canonical) {
        assertArrayEquals(b(canonical), BencodeEncoder.encode(BencodeDecoder.decode(b(canonical))));
    }

    @Test
    void randomCanonicalValuesRoundTrip() {
        var random = new Random(7);
        for (int i = 0; i < 500; i++) {
            BValue value = randomValue(random, 0);
            byte[] encoded = BencodeEncoder.encode(value);
            assertEquals(value, BencodeDecoder.decode(encoded));
            assertArrayEquals(encoded, BencodeEncoder.encode(BencodeDecoder.decode(encoded)));
        }
    }

    private static BValue randomValue(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(2) : r.nextInt(4);
        switch (kind) {
            case 0:
                return BInteger.of(r.nextLong() >> r.nextInt(64));
            case 1: {
                byte[] bytes = new byte[r.nextInt(20)];
                r.nextBytes(bytes);
                return new BString(bytes);
            }
            case 2: {
                var items = new java.util.ArrayList<BValue>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(randomValue(r, depth + 1));
                }
                return new BList(items);
            }
            default: {
                var builder = BDictionary.builder();
                for (int i = r.nextInt(4); i > 0; i--) {
                    byte[] key = new byte[1 + r.nextInt(3)];
                    r.nextBytes(key);
                    builder.put(new BString(key), randomValue(r, depth + 1));
                }
                return builder.build();
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource(delimiter = '|', value = {
        "x|unexpected byte 'x'|0",
        "i03e|leading zero|0",
        "i-0e|negative zero|0",
        "ie|without digits|0",
        "i-e|without digits|0",
        "i12|unexpected end of input|3",
        "i1x2e|unexpected byte 'x' in integer|2",
        "i9223372036854775808e|64-bit range|0",
        "i-9223372036854775809e|64-bit range|0",
        "03:abc|leading zero|0",
        "5:abc|runs past the end|0",
        "99999999999999999999:a|runs past the end|0",
        "l4:spam|unexpected end of input|7",
        "d3:fooi1e|unexpected end of input|9",
        "i1ei2e|trailing data|3",
        "d1:bi1e1:ai2ee|out of order (non-canonical)|7",
        "d1:ai1e1:ai2ee|duplicate dictionary key 'a' (non-canonical)|7",
        "di1ei2ee|key must be a string|1",
        "''|unexpected end of input|0",
    })
    void rejectsMalformedInputWithTheOffset(String input, String reason, long offset) {
        var e = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(b(input)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
    }

    @Test
    void limitsNestingDepthWithoutOverflowingTheStack() {
        byte[] deep = b("l".repeat(100_000) + "e".repeat(100_000));
        var e = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 256"), e.getMessage());
    }

    @Test
    void limitsTheNumberOfValues() {
        var limits = new BencodeLimits(1 << 20, 10, 1000);
        byte[] many = b("l" + "i1e".repeat(1000) + "e");
        var e = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(many, limits));
        assertTrue(e.getMessage().contains("more than 1000 values"), e.getMessage());
    }

    @Test
    void limitsTheInputLength() {
        var limits = new BencodeLimits(4, 10, 10);
        assertThrows(BencodeException.class, () -> BencodeDecoder.decode(b("5:abcde"), limits));
    }

    @Test
    void aTorrentFileGivesTheExactSpanOfItsInfoValue() {
        byte[] input = b("d4:infod4:name1:xe3:zzzi1ee");
        var file = BencodeDecoder.decodeTorrentFile(input, BencodeLimits.TORRENT_FILE);
        assertEquals(7, file.info().offset());
        assertEquals("d4:name1:xe", new String(input, file.info().offset(), file.info().length(),
                StandardCharsets.ISO_8859_1));
        assertEquals(0, file.trailing());
        assertTrue(file.infoCanonical());
        assertNull(BencodeDecoder.decodeTorrentFile(b("d3:zzzi1ee"), BencodeLimits.TORRENT_FILE).info());
    }

    @Test
    void aTorrentFileMayHaveKeysOutOfOrderAndBytesAfterItButNoDuplicates() {
        byte[] input = b("d4:infod4:name1:x1:ai1ee1:ai2eeXYZ");
        var file = BencodeDecoder.decodeTorrentFile(input, BencodeLimits.TORRENT_FILE);
        assertEquals(3, file.trailing());
        assertEquals("d4:name1:x1:ai1ee", new String(input, file.info().offset(), file.info().length(),
                StandardCharsets.ISO_8859_1), "the info bytes exactly as written");
        assertFalse(file.infoCanonical());
        assertFalse(BencodeDecoder.decodeTorrentFile(b("d4:infod5:filesld1:bi1e1:ai2eeeee"),
                BencodeLimits.TORRENT_FILE).infoCanonical(), "keys out of order deep inside the info dictionary");
        assertTrue(BencodeDecoder.decodeTorrentFile(b("d4:zzzzi1e4:infod1:ai1eee"), BencodeLimits.TORRENT_FILE)
                .infoCanonical(), "only the info dictionary's own keys count");
        assertThrows(BencodeException.class,
                () -> BencodeDecoder.decodeTorrentFile(b("d1:ai1e1:ai2ee"), BencodeLimits.TORRENT_FILE));
        assertThrows(BencodeException.class,
                () -> BencodeDecoder.decodeTorrentFile(b("d1:ai01ee"), BencodeLimits.TORRENT_FILE), "values stay strict");
        assertThrows(BencodeException.class, () -> BencodeDecoder.decode(input), "the strict decoder refuses it");
    }
}
