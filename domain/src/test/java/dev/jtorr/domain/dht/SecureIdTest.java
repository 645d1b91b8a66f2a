package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** BEP 42's node id restriction, checked against the BEP's own test vectors. */
class SecureIdTest {
    @Test
    void crc32cMatchesTheCastagnoliCheckValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.of(check, 0, check.length));
        assertEquals(0x8A9136AA, Crc32c.of(new byte[32], 0, 32)); // RFC 3720 B.4: 32 bytes of zeros
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals(0x62A8AB43, Crc32c.of(ones, 0, 32));
    }

    @ParameterizedTest
    @CsvSource({
        "124.31.75.21, 1, 5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401",
        "21.75.31.124, 86, 5a3ce9c14e7a08645677bbd1cfe7d8f956d53256",
        "65.23.51.170, 22, a5d43220bc8f112a3d426c84764f8c2a1150e616",
        "84.124.73.14, 65, 1b0321dd1bb1fe518101ceef99462b947a01ff41",
        "43.213.53.83, 90, e56f6cbf5b7c4be0237986d5243b87aa6d51305a"})
    void theBepsTestVectorsAreSecureAndAGeneratedIdSharesTheirPrefix(String ip, int rand, String example) {
        byte[] address = Compact.ipv4(ip);
        NodeId id = NodeId.ofHex(example);
        assertTrue(SecureId.isSecure(id, new PeerAddress(ip, 6881)));
        assertEquals(example.substring(0, 5), String.format("%08x", SecureId.prefix(address, rand & 7)).substring(0, 5));

        NodeId generated = SecureId.generate(address, rand, new SplittableRandom(rand));
        assertTrue(SecureId.isSecure(generated, new PeerAddress(ip, 6881)));
        // the first 21 bits (two bytes and the top five bits of the third) and the last byte are the example's
        assertEquals(example.substring(0, 4), generated.hex().substring(0, 4));
        assertEquals(id.bytes()[2] & 0xf8, generated.bytes()[2] & 0xf8);
        assertEquals(example.substring(38), generated.hex().substring(38));
        assertTrue(SecureId.isSecure(SecureId.generate(address, new SplittableRandom(rand)), new PeerAddress(ip, 1)));
    }

    @Test
    void anIdWithOneBitChangedInItsPrefixIsNotSecure() {
        byte[] b = NodeId.ofHex("5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401").bytes();
        b[2] ^= 0x08; // the 21st bit
        assertFalse(SecureId.isSecure(new NodeId(b), new PeerAddress("124.31.75.21", 6881)));
        b[2] ^= 0x08;
        b[2] ^= 0x04; // the 22nd bit is free
        assertTrue(SecureId.isSecure(new NodeId(b), new PeerAddress("124.31.75.21", 6881)));
        // the same id at another address is not secure
        assertFalse(SecureId.isSecure(new NodeId(b), new PeerAddress("124.31.75.22", 6881)));
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.0.9", "127.0.0.2", "::1",
        "0:0:0:0:0:0:0:1", "fd12:3456:789a:1:0:0:0:1", "fe80:0:0:0:0:0:0:1%2"})
    void localAddressesAreExempt(String host) {
        assertTrue(SecureId.isSecure(NodeId.ofHex("0000000000000000000000000000000000000000"),
                new PeerAddress(host, 6881)));
    }

    @ParameterizedTest
    @CsvSource({"172.32.0.1", "172.15.0.1", "192.169.1.1", "11.0.0.1", "2001:db8:0:0:0:0:0:1", "fc0:0:0:0:0:0:0:1"})
    void publicAddressesAreChecked(String host) {
        assertFalse(SecureId.isSecure(NodeId.ofHex("0000000000000000000000000000000000000000"),
                new PeerAddress(host, 6881)));
    }
}
