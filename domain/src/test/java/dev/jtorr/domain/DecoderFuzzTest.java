package dev.jtorr.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that decodes bytes from outside: bencode, .torrent files,
 * magnet links, KRPC datagrams of the DHT and local discovery announces. Any input either decodes or fails with the typed {@link InvalidDataException}; any other exception,
 * a stack overflow, running out of memory or a hang is a finding. What decodes must also be consistent.
 *
 * <p>In a normal test run each target replays its saved inputs (src/test/resources/.../DecoderFuzzTestInputs);
 * {@code scripts/fuzz.sh} explores for new ones.
 */
class DecoderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void bencode(@NotNull byte[] input) {
        BValue value;
        try {
            value = BencodeDecoder.decode(input);
        } catch (InvalidDataException expected) {
            return;
        }
        // the decoder is strict: only canonical input decodes, so encoding gives back exactly the input
        assertArrayEquals(input, BencodeEncoder.encode(value));
    }

    @FuzzTest(maxDuration = "60s")
    void torrentFile(@NotNull byte[] input) {
        Metainfo metainfo;
        try {
            metainfo = MetainfoParser.parse(input);
        } catch (InvalidDataException expected) {
            return;
        }
        var info = metainfo.info();
        long total = 0;
        for (FileEntry f : info.files()) {
            assertTrue(f.length() >= 0, "file length");
            for (String component : f.path()) {
                assertTrue(!component.isEmpty() && !component.equals(".") && !component.equals("..")
                        && component.indexOf('/') < 0 && component.indexOf('\\') < 0
                        && component.indexOf('\0') < 0, "unsafe name component survived: " + f.path());
            }
            total += f.length();
        }
        var layout = info.pieceLayout();
        assertEquals(total, layout.streamLength(), "the pieces cover the files");
        assertEquals((total + layout.pieceLength() - 1) / layout.pieceLength(), layout.pieceCount());
        assertTrue(metainfo.infoHashes().v1().isPresent() || metainfo.infoHashes().v2().isPresent());
    }

    /** A DHT node that any datagram is thrown at; it must never throw, whatever arrives. */
    private static final dev.jtorr.domain.dht.DhtNode NODE = new dev.jtorr.domain.dht.DhtNode(
            dev.jtorr.domain.dht.NodeId.ofHex("00".repeat(20)), java.util.List.of(),
            new java.util.SplittableRandom(1), dev.jtorr.domain.dht.DhtNode.Config.DEFAULT,
            java.time.Instant.EPOCH);

    /** Seconds of the node's clock: each input comes a second after the last, so the rate limit never hides one. */
    private static long seconds;

    @FuzzTest(maxDuration = "60s")
    void krpc(@NotNull byte[] input) {
        NODE.receive(new dev.jtorr.domain.peer.PeerAddress("10.0.0.1", 6881), input,
                java.time.Instant.EPOCH.plusSeconds(seconds++));
        NODE.drain();
        dev.jtorr.domain.dht.KrpcMessage message;
        try {
            message = dev.jtorr.domain.dht.KrpcCodec.decode(input);
        } catch (InvalidDataException expected) {
            return;
        }
        // what decodes encodes to a message that decodes to the same fields
        var again = dev.jtorr.domain.dht.KrpcCodec.decode(dev.jtorr.domain.dht.KrpcCodec.encode(
                message instanceof dev.jtorr.domain.dht.KrpcMessage.Query q && q.method() == null
                        ? dev.jtorr.domain.dht.KrpcMessage.Query.ping(q.transaction(), q.sender()) : message));
        assertArrayEquals(message.transaction(), again.transaction());
        if (message instanceof dev.jtorr.domain.dht.KrpcMessage.Response r) {
            assertEquals(r, again);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void magnetLink(@NotNull byte[] input) {
        String link = new String(input, StandardCharsets.UTF_8);
        MagnetLink magnet;
        try {
            magnet = MagnetLink.parse(link);
        } catch (InvalidDataException expected) {
            return;
        }
        assertEquals(magnet, MagnetLink.parse(magnet.format()), "formatting and parsing again gives the same link");
    }

    @FuzzTest(maxDuration = "60s")
    void pex(@NotNull byte[] input) {
        dev.jtorr.domain.wire.PexMessage message;
        try {
            message = dev.jtorr.domain.wire.PexMessage.decode(input);
        } catch (InvalidDataException expected) {
            return;
        }
        assertEquals(message, dev.jtorr.domain.wire.PexMessage.decode(message.encode()),
                "what decodes encodes to a message that decodes the same");
    }

    @FuzzTest(maxDuration = "60s")
    void utMetadata(@NotNull byte[] input) {
        dev.jtorr.domain.wire.MetadataMessage message;
        try {
            message = dev.jtorr.domain.wire.MetadataMessage.decode(input);
        } catch (InvalidDataException expected) {
            return;
        }
        var again = dev.jtorr.domain.wire.MetadataMessage.decode(message.encode());
        assertEquals(message.getClass(), again.getClass());
        if (message instanceof dev.jtorr.domain.wire.MetadataMessage.Data d) {
            var e = (dev.jtorr.domain.wire.MetadataMessage.Data) again;
            assertEquals(d.piece(), e.piece());
            assertArrayEquals(d.data(), e.data());
        } else {
            assertEquals(message, again);
        }
    }

    /** A local discovery announce (BEP 14): refused with the typed error, or read back the same once written. */
    @FuzzTest(maxDuration = "60s")
    void lsd(@NotNull byte[] input) {
        dev.jtorr.domain.lsd.LsdAnnounce announce;
        try {
            announce = dev.jtorr.domain.lsd.LsdCodec.decode(input);
        } catch (InvalidDataException expected) {
            return;
        }
        assertEquals(announce, dev.jtorr.domain.lsd.LsdCodec.decode(
                dev.jtorr.domain.lsd.LsdCodec.encode(announce, dev.jtorr.domain.lsd.LsdCodec.IPV4_HOST)));
    }
}
