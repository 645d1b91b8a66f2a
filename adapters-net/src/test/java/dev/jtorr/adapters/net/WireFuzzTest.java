package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of what peers and trackers send us, and what clients send our tracker: a peer's
 * byte stream (handshake, then messages, BEP 6's and BEP 52's hash messages among them: those with fixed fields must encode
 * back the same), HTTP announce and scrape replies, HTTP announce queries and UDP announce
 * packets. Every input is either understood or refused with the typed error the caller handles; anything else is a
 * finding. Saved inputs replay in every test run (src/test/resources/.../WireFuzzTestInputs); {@code
 * scripts/fuzz.sh} explores for new ones.
 */
class WireFuzzTest {
    private static final int MAX_MESSAGE = 64 * 1024;

    @FuzzTest(maxDuration = "60s")
    void peerStream(@NotNull byte[] input) throws Exception {
        var in = new ByteArrayInputStream(input);
        try {
            PeerWireCodec.readHandshake(new DataInputStream(in));
        } catch (EOFException | WireProtocolException refused) {
            return;
        }
        var reader = new WireReader(java.nio.channels.Channels.newChannel(in), MAX_MESSAGE, 1024);
        try {
            while (true) {
                for (PeerMessage m : reader.next().messages()) {
                    assertTrue(PeerWireCodec.size(m) <= MAX_MESSAGE + 4 || m instanceof PeerMessage.Unknown,
                            "a message over the limit got through: " + m);
                    if (m instanceof PeerMessage.Fast || m instanceof PeerMessage.Hashing
                            || m instanceof PeerMessage.Request || m instanceof PeerMessage.Have) {
                        assertEquals(m, reencoded(m), "what decodes encodes and decodes the same");
                    }
                }
            }
        } catch (EOFException | WireProtocolException refused) {
            // the end of the stream, or a peer we would disconnect
        }
    }

    private static PeerMessage reencoded(PeerMessage m) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        PeerWireCodec.write(new java.io.DataOutputStream(bytes), m, new byte[16]);
        return PeerWireCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), MAX_MESSAGE);
    }

    @FuzzTest(maxDuration = "60s")
    void httpTrackerReply(@NotNull byte[] input) {
        try {
            HttpTrackerCodec.parseAnnounce("http://tracker.test/announce", input);
        } catch (TrackerException refused) {
            // a bad reply: reported as a notice, the download goes on
        }
        try {
            HttpTrackerCodec.parseScrape("http://tracker.test/scrape", input);
        } catch (TrackerException refused) {
            // likewise
        }
    }

    @FuzzTest(maxDuration = "60s")
    void trackerRequests(@NotNull byte[] input) {
        try {
            HttpTrackerCodec.parseQuery(new String(input, StandardCharsets.ISO_8859_1));
        } catch (InvalidDataException refused) {
            // answered with a failure reason
        }
        try {
            UdpTrackerCodec.readAnnounce(ByteBuffer.wrap(input));
        } catch (InvalidDataException refused) {
            // answered with an error packet
        }
    }
}
