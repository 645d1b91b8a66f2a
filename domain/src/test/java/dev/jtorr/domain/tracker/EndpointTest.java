package dev.jtorr.domain.tracker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.domain.InvalidDataException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void compactFormsRoundTrip() {
        byte[] v4 = HexFormat.of().parseHex("7f0000011ae1" + "0a000002c8d5" + "0102030400" + "00");
        List<Endpoint> peers = Endpoint.parseCompact(v4, 6);
        assertEquals(2, peers.size(), "port 0 is skipped");
        assertEquals("127.0.0.1:6881", peers.get(0).toString());
        assertEquals("10.0.0.2:51413", peers.get(1).toString());
        byte[] out = new byte[12];
        peers.get(1).writeCompact(out, peers.get(0).writeCompact(out, 0));
        assertArrayEquals(java.util.Arrays.copyOf(v4, 12), out);
    }

    @Test
    void ipv6IsWrittenTheRfc5952Way() {
        byte[] v6 = HexFormat.of().parseHex("00000000000000000000000000000001" + "1ae1"
                + "20010db8000000000001000000000001" + "0050" + "20010db8000100000000000000000000" + "0001");
        List<Endpoint> peers = Endpoint.parseCompact(v6, 18);
        assertEquals("[::1]:6881", peers.get(0).toString());
        assertEquals("2001:db8::1:0:0:1", peers.get(1).host());
        assertEquals("2001:db8:1::", peers.get(2).host());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(InvalidDataException.class, () -> Endpoint.parseCompact(new byte[7], 6));
        assertThrows(InvalidDataException.class, () -> new Endpoint(new byte[5], 1));
        assertThrows(InvalidDataException.class, () -> new Endpoint(new byte[4], 0));
    }
}
