package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagnetLinkTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    private static final String V2 = "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e";

    @Test
    void parsesEveryParameter() {
        var m = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + V2
                + "&dn=My+File%20%C3%A9&tr=http%3A%2F%2Ft.example%2Fannounce&tr=udp://u:80&ws=http://w/f"
                + "&x.pe=127.0.0.1:6881&so=0,2,4-6&unknown=x");
        assertEquals(HEX, m.v1().orElseThrow().hex());
        assertEquals(V2, m.v2().orElseThrow().hex());
        assertEquals("My File é", m.displayName().orElseThrow());
        assertEquals(List.of("http://t.example/announce", "udp://u:80"), m.trackers());
        assertEquals(List.of("http://w/f"), m.webSeeds());
        assertEquals(List.of("127.0.0.1:6881"), m.peers());
        assertEquals(List.of("0", "2", "4-6"), m.selectOnly());
    }

    @Test
    void base32AndHexGiveTheSameHash() {
        var b32 = MagnetLink.parse("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK");
        assertEquals(HEX, b32.v1().orElseThrow().hex());
        var lower = MagnetLink.parse("magnet:?xt=urn:btih:yex6dqdlxisuvhoj6um3gnnkpqjwpkek");
        assertEquals(HEX, lower.v1().orElseThrow().hex());
    }

    @Test
    void formatThenParseIsTheSameLink() {
        var m = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + V2
                + "&dn=a%26b%3Dc&tr=http://t/a?x=1%262&so=1");
        assertEquals(m, MagnetLink.parse(m.format()));
        assertTrue(m.format().startsWith("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + V2 + "&dn=a%26b%3Dc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://x", "magnet:?dn=x", "magnet:?xt=urn:btih:123", "magnet:?xt=urn:btih:" + HEX + "0",
        "magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1", "magnet:?xt=urn:btmh:1114" + V2,
        "magnet:?xt=urn:btih:" + HEX + "&dn=%zz", "magnet:?xt=urn:btih:" + HEX + "&dn=%C3",
        "magnet:?xt=urn:btih:" + HEX + "&so=a", "magnet:?xt"})
    void rejectsMalformedLinks(String link) {
        assertThrows(MagnetException.class, () -> MagnetLink.parse(link));
    }
}
