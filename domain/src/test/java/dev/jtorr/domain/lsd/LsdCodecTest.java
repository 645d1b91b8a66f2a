package dev.jtorr.domain.lsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.domain.piece.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Local service discovery announces (BEP 14): libtorrent's text, round trips, and what is refused. */
class LsdCodecTest {
    private static final String V1 = "0123456789abcdef0123456789abcdef01234567";
    private static final String V2 = "fedcba9876543210fedcba9876543210fedcba98";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static LsdAnnounce decode(String s) {
        return LsdCodec.decode(ascii(s));
    }

    @Test
    void anAnnounceIsWrittenAsBep14AndLibtorrentWriteIt() {
        var a = new LsdAnnounce(6881, List.of(Digest.ofHex(V1)), Optional.of("1a2b3c4d"));
        assertEquals("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: " + V1
                + "\r\ncookie: 1a2b3c4d\r\n\r\n\r\n",
                new String(LsdCodec.encode(a, LsdCodec.IPV4_HOST), StandardCharsets.US_ASCII));
        assertEquals("[ff15::efc0:988f]:6771", LsdCodec.IPV6_HOST);
    }

    @Test
    void whatIsWrittenReadsBackWithEveryInfoHash() {
        var a = new LsdAnnounce(51413, List.of(Digest.ofHex(V1), Digest.ofHex(V2)), Optional.of("ab"));
        assertEquals(a, LsdCodec.decode(LsdCodec.encode(a, LsdCodec.IPV6_HOST)));
        var noCookie = new LsdAnnounce(1, List.of(Digest.ofHex(V2)), Optional.empty());
        assertEquals(noCookie, LsdCodec.decode(LsdCodec.encode(noCookie, LsdCodec.IPV4_HOST)));
    }

    @Test
    void libtorrentsAnnounceIsRead() {
        // as libtorrent 2.0's lsd.cpp formats it
        var a = decode("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: "
                + V1.toUpperCase() + "\r\ncookie: 5e9c1a7\r\n\r\n\r\n");
        assertEquals(new LsdAnnounce(6881, List.of(Digest.ofHex(V1)), Optional.of("5e9c1a7")), a);
    }

    @Test
    void headerNamesAnyCaseLfLineEndsAndUnknownHeadersAreFine() {
        var a = decode("bt-search * HTTP/1.0\nhost: x\nX-Later: whatever: it is\nPORT:  7000 \nINFOHASH:" + V1
                + "\n\nPort: 9\n");
        assertEquals(new LsdAnnounce(7000, List.of(Digest.ofHex(V1)), Optional.empty()), a);
    }

    @Test
    void infoHashesThatAreNotFortyHexDigitsAreSkippedAndRepeatsCountOnce() {
        var a = decode("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: abc\r\nInfohash: " + V1.replace('0', 'g')
                + "\r\nInfohash: " + V2 + "\r\nInfohash: " + V2 + "\r\n\r\n");
        assertEquals(List.of(Digest.ofHex(V2)), a.infoHashes());
    }

    @Test
    void aCookieThatIsNotPrintableIsNoCookie() {
        var a = decode("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + V1 + "\r\ncookie: a\u0001b\r\n\r\n");
        assertEquals(Optional.empty(), a.cookie());
    }

    @Test
    void whatIsNotAnAnnounceIsRefused() {
        String hash = "Infohash: " + V1 + "\r\n";
        for (String bad : List.of(
                "",
                "M-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + hash,
                "BT-SEARCH / HTTP/1.1\r\nPort: 1\r\n" + hash,
                "BT-SEARCH * HTTP/2\r\nPort: 1\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 0\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: -1\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 12a\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 0000000001\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n",
                "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + V1.substring(1) + "\r\n",
                "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nno colon here\r\n" + hash,
                "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n\r\n" + hash)) {
            assertThrows(LsdException.class, () -> decode(bad), bad);
        }
    }

    @Test
    void oversizedDatagramsAndTooManyLinesAreRefusedUnread() {
        String head = "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + V1 + "\r\n";
        String padded = head + "X: " + "y".repeat(LsdCodec.MAX_DATAGRAM) + "\r\n\r\n";
        assertThrows(LsdException.class, () -> decode(padded));
        String lines = head + "X: y\r\n".repeat(LsdCodec.MAX_LINES) + "\r\n";
        assertThrows(LsdException.class, () -> decode(lines));
    }

    @Test
    void anAnnounceThatWouldNotFitOneDatagramIsNotWritten() {
        var many = new java.util.ArrayList<Digest>();
        for (int i = 0; i < LsdAnnounce.MAX_INFO_HASHES; i++) {
            many.add(Digest.ofHex(String.format("%040x", i + 1)));
        }
        // sixteen hashes fit with room to spare; a cookie of the longest kind too
        var a = new LsdAnnounce(65535, many, Optional.of("c".repeat(LsdCodec.MAX_COOKIE)));
        assertEquals(a, LsdCodec.decode(LsdCodec.encode(a, LsdCodec.IPV6_HOST)));
        many.add(Digest.ofHex("ff".repeat(20)));
        assertThrows(LsdException.class, () -> new LsdAnnounce(1, many, Optional.empty()));
        assertThrows(LsdException.class, () -> new LsdAnnounce(1, List.of(), Optional.empty()));
        assertThrows(LsdException.class, () -> new LsdAnnounce(1, List.of(Digest.ofHex(V1)), Optional.of("a b")));
    }
}
