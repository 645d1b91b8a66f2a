package dev.jtorr.domain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.tracker.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PexMessageTest {
    private static Endpoint at(String address) {
        return Endpoint.of(PeerAddress.parse(address)).orElseThrow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void ipv4PeersAreSixBytesWithAFlagByteEach() {
        var m = new PexMessage(List.of(new PexMessage.Added(at("10.0.0.1:6881"), PexMessage.SEED | PexMessage.REACHABLE)),
                List.of(at("10.0.0.2:80")));
        assertEquals("d5:added6:\n\0\0\1\u001a\u00e17:added.f1:\u00126:added60:8:added6.f0:7:dropped6:\n\0\0\2\0P"
                + "8:dropped60:e", text(m.encode()));
    }

    @Test
    void roundTripsIpv4AndIpv6WithFlags() {
        var m = new PexMessage(List.of(
                new PexMessage.Added(at("127.0.0.1:1"), PexMessage.PREFERS_ENCRYPTION),
                new PexMessage.Added(at("[2001:db8::1]:6881"), PexMessage.SEED | PexMessage.UTP),
                new PexMessage.Added(at("[::1]:65535"), PexMessage.HOLEPUNCH)),
                List.of(at("192.168.1.1:2"), at("[fe80::1:2]:3")));
        var back = PexMessage.decode(m.encode());
        assertEquals(m, back);
        assertEquals("2001:db8::1", back.added().get(1).peer().host());
        assertTrue(back.added().get(1).seed());
    }

    @Test
    void missingKeysAreEmptyAndMissingFlagsAreZero() {
        var m = PexMessage.decode(bytes("d5:added6:\u007f\0\0\1\0\u0001e"));
        assertEquals(List.of(new PexMessage.Added(at("127.0.0.1:1"), 0)), m.added());
        assertEquals(List.of(), m.dropped());
        assertEquals(new PexMessage(List.of(), List.of()), PexMessage.decode(bytes("de")));
    }

    @Test
    void portZeroCannotBeDialledAndIsSkipped() {
        assertEquals(List.of(), PexMessage.decode(bytes("d5:added6:\u007f\0\0\1\0\0e")).added());
    }

    @Test
    void onlyTheFirstFiftyOfEachListAreRead() {
        var many = new ArrayList<PexMessage.Added>();
        var gone = new ArrayList<Endpoint>();
        for (int i = 1; i <= 120; i++) {
            many.add(new PexMessage.Added(at("10.0.0." + i + ":" + (1000 + i)), 0));
            gone.add(at("10.1.0." + i + ":" + (1000 + i)));
        }
        var back = PexMessage.decode(new PexMessage(many, gone).encode());
        assertEquals(many.subList(0, 50), back.added());
        assertEquals(gone.subList(0, 50), back.dropped());
    }

    @Test
    void garbageIsAProtocolError() {
        for (String bad : List.of("", "x", "le", "i3e", "d5:added5:abcdee", "d5:addedi3ee", "d7:dropped6:abcdee",
                "d6:added65:abcdee", "d5:added6:abcdef7:added.fi1ee", "d5:added")) {
            assertThrows(InvalidDataException.class, () -> PexMessage.decode(bytes(bad)), bad);
        }
    }

    @Test
    void anOversizedMessageIsRefusedBeforeItIsParsed() {
        byte[] big = bytes("d5:added" + (PexMessage.MAX_BYTES) + ":" + "\1".repeat(PexMessage.MAX_BYTES) + "e");
        assertThrows(InvalidDataException.class, () -> PexMessage.decode(big));
    }

    @Test
    void endpointsReadAddressLiteralsOnly() {
        assertEquals("::", Endpoint.of(new PeerAddress("::", 1)).orElseThrow().host());
        assertEquals("1:2:3:4:5:6:7:8", Endpoint.of(new PeerAddress("1:2:3:4:5:6:7:8", 1)).orElseThrow().host());
        for (String host : List.of("example.org", "1.2.3", "1.2.3.256", "1::2::3", "1:2:3", "12345::", "1.2.3.4.5",
                "1:2:3:4:5:6:7:8:9", "::g")) {
            assertTrue(Endpoint.of(new PeerAddress(host, 1)).isEmpty(), host);
        }
    }
}
