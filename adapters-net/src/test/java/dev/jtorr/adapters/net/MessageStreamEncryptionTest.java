package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * jtorr answering Message Stream Encryption, against an initiating side written here from the description of the
 * protocol (the interoperability tests run libtorrent against it too).
 */
class MessageStreamEncryptionTest {
    private static final Digest OTHER = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");
    private static final Digest TORRENT = Digest.ofHex("aa23456789abcdef0123456789abcdef012345ff");

    @Test
    void rc4MatchesKnownKeystreams() {
        assertEquals("bbf316e8d940af0ad3", rc4("Key", "Plaintext"));
        assertEquals("1021bf0420", rc4("Wiki", "pedia"));
        assertEquals("45a01f645fc35b383552544b9bf5", rc4("Secret", "Attack at dawn"));
    }

    private static String rc4(String key, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        new Rc4(key.getBytes(StandardCharsets.US_ASCII), 0).apply(b, 0, b.length);
        return HexFormat.of().formatHex(b);
    }

    /** Two pipes: what the initiator writes, the answering side reads, and back. */
    private record Wire(InputStream answerIn, OutputStream answerOut, InputStream peerIn, OutputStream peerOut) {
        static Wire open() throws IOException {
            Pipe toAnswer = Pipe.open();
            Pipe toPeer = Pipe.open();
            return new Wire(Channels.newInputStream(toAnswer.source()), Channels.newOutputStream(toPeer.sink()),
                    Channels.newInputStream(toPeer.source()), Channels.newOutputStream(toAnswer.sink()));
        }
    }

    /** The initiating side: offers {@code provide}, sends {@code initial} inside the handshake. */
    private static final class Initiator {
        final DataInputStream in;
        final OutputStream out;
        Rc4 sending;
        Rc4 receiving;
        int selected;

        Initiator(Wire wire) {
            this.in = new DataInputStream(wire.peerIn());
            this.out = wire.peerOut();
        }

        void handshake(Digest skey, int provide, byte[] initial, int padA) throws IOException {
            var random = new SecureRandom();
            BigInteger xa = new BigInteger(160, random);
            out.write(MessageStreamEncryption.unsigned(MessageStreamEncryption.GENERATOR.modPow(xa,
                    MessageStreamEncryption.PRIME)));
            out.write(new byte[padA]);
            out.flush();
            byte[] yb = new byte[96];
            in.readFully(yb);
            byte[] s = MessageStreamEncryption.unsigned(new BigInteger(1, yb).modPow(xa,
                    MessageStreamEncryption.PRIME));
            sending = new Rc4(MessageStreamEncryption.sha1("keyA", s, skey.bytes()), 1024);
            receiving = new Rc4(MessageStreamEncryption.sha1("keyB", s, skey.bytes()), 1024);
            byte[] req2 = MessageStreamEncryption.sha1("req2", skey.bytes());
            byte[] req3 = MessageStreamEncryption.sha1("req3", s);
            for (int i = 0; i < 20; i++) {
                req2[i] ^= req3[i];
            }
            var three = ByteBuffer.allocate(8 + 4 + 2 + 3 + 2 + initial.length).putLong(0).putInt(provide)
                    .putShort((short) 3).put(new byte[3]).putShort((short) initial.length).put(initial).array();
            sending.apply(three, 0, three.length);
            out.write(MessageStreamEncryption.sha1("req1", s));
            out.write(req2);
            out.write(three);
            out.flush();
            // the answer's padding has no length: find the encrypted verification constant after it
            byte[] vc = new byte[8];
            receiving.apply(vc, 0, 8);
            byte[] window = new byte[8];
            for (int read = 0; !Arrays.equals(window, vc); read++) {
                assertTrue(read < 512 + 8, "verification constant within 512 bytes of padding");
                System.arraycopy(window, 1, window, 0, 7);
                window[7] = in.readByte();
            }
            byte[] rest = new byte[6];
            in.readFully(rest);
            receiving.apply(rest, 0, 6);
            var fields = ByteBuffer.wrap(rest);
            selected = fields.getInt();
            byte[] padD = new byte[fields.getShort() & 0xffff];
            in.readFully(padD);
            receiving.apply(padD, 0, padD.length);
        }

        void send(byte[] plain) throws IOException {
            byte[] b = plain.clone();
            if (selected == MessageStreamEncryption.RC4) {
                sending.apply(b, 0, b.length);
            }
            out.write(b);
            out.flush();
        }

        byte[] receive(int n) throws IOException {
            byte[] b = new byte[n];
            in.readFully(b);
            if (selected == MessageStreamEncryption.RC4) {
                receiving.apply(b, 0, n);
            }
            return b;
        }
    }

    private static MessageStreamEncryption.Answered answer(Wire wire) throws IOException {
        return answer(wire, EncryptionPolicy.PREFER);
    }

    private static MessageStreamEncryption.Answered answer(Wire wire, EncryptionPolicy policy) throws IOException {
        byte[] start = wire.answerIn().readNBytes(20); // as the listener reads before telling the two kinds apart
        return MessageStreamEncryption.answer(start, wire.answerIn(), wire.answerOut(), List.of(OTHER, TORRENT),
                policy, new SecureRandom());
    }

    /**
     * jtorr's own opening on the peer's side of {@code wire}, on a thread of its own. An opening that fails hangs
     * up, as a socket closes: the answering side meets the end of the stream rather than waiting for ever.
     */
    private static CompletableFuture<MessageStreamEncryption.Answered> open(Wire wire, EncryptionPolicy policy) {
        var opening = new CompletableFuture<MessageStreamEncryption.Answered>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                opening.complete(MessageStreamEncryption.open(wire.peerIn(), wire.peerOut(), TORRENT, policy,
                        new SecureRandom(), step -> { }));
            } catch (IOException | RuntimeException e) {
                try {
                    wire.peerOut().close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                opening.completeExceptionally(e);
            }
        });
        return opening;
    }

    /** Both ends of one exchange: jtorr's opening and jtorr's answer. */
    private record Exchange(MessageStreamEncryption.Answered opened, MessageStreamEncryption.Answered answered) {
    }

    /**
     * jtorr's opening answered by jtorr, dialled again (on a new wire) after an opening that gave up on a secret
     * beginning with a zero byte, as the network adapter does.
     */
    private static Exchange exchange(EncryptionPolicy opening, EncryptionPolicy answering) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            var wire = Wire.open();
            var opened = open(wire, opening);
            var answered = new CompletableFuture<MessageStreamEncryption.Answered>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    answered.complete(answer(wire, answering));
                } catch (IOException | RuntimeException e) {
                    answered.completeExceptionally(e);
                }
            });
            try {
                return new Exchange(opened.get(10, TimeUnit.SECONDS), answered.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof MessageStreamEncryption.LeadingZeroSecret)) {
                    throw e;
                }
            }
        }
        throw new AssertionError("ten secrets in a row began with a zero byte");
    }

    @Test
    void anEncryptedHandshakeOfferingPlainTextGoesOnInPlainTextWithTheInitialPayloadFirst() throws Exception {
        var wire = Wire.open();
        var peer = new Initiator(wire);
        byte[] initial = "the handshake".getBytes(StandardCharsets.US_ASCII);
        var handshake = async((() -> peer.handshake(TORRENT, 0x03, initial, 77)));
        var answered = answer(wire);
        handshake.get(10, TimeUnit.SECONDS);
        assertEquals(TORRENT, answered.infoHash(), "the torrent recognised from its hidden hash");
        assertEquals(MessageStreamEncryption.PLAINTEXT, answered.method());
        assertEquals(MessageStreamEncryption.PLAINTEXT, peer.selected, "the peer was told plain text");
        peer.send("and then".getBytes(StandardCharsets.US_ASCII));
        assertEquals("the handshakeand then", new String(answered.in().readNBytes(21), StandardCharsets.US_ASCII));
        answered.out().write("reply".getBytes(StandardCharsets.US_ASCII));
        answered.out().flush();
        assertEquals("reply", new String(peer.in.readNBytes(5), StandardCharsets.US_ASCII), "sent as it is");
    }

    @Test
    void aPeerThatOffersOnlyRc4GetsAnRc4StreamBothWays() throws Exception {
        var wire = Wire.open();
        var peer = new Initiator(wire);
        var handshake = async((() -> peer.handshake(TORRENT, 0x02, new byte[0], 512)));
        var answered = answer(wire);
        handshake.get(10, TimeUnit.SECONDS);
        assertEquals(MessageStreamEncryption.RC4, answered.method());
        byte[] message = new byte[40_000];
        new SplittableRandom(4).nextBytes(message);
        var sender = async((() -> peer.send(message)));
        assertArrayEquals(message, answered.in().readNBytes(message.length), "decrypted on the way in");
        sender.get(10, TimeUnit.SECONDS);

        byte[] reply = "a reply long enough to be told apart from itself".getBytes(StandardCharsets.US_ASCII);
        byte[] kept = reply.clone();
        answered.out().write(reply);
        answered.out().flush();
        assertArrayEquals(kept, reply, "the caller's bytes are left alone");
        byte[] raw = peer.in.readNBytes(reply.length);
        assertFalse(Arrays.equals(kept, raw), "encrypted on the wire");
        peer.receiving.apply(raw, 0, raw.length);
        assertArrayEquals(kept, raw);
    }

    @Test
    void jtorrsOwnOpeningIsAnsweredAndCarriesDataBothWays() throws Exception {
        var exchange = exchange(EncryptionPolicy.PREFER, EncryptionPolicy.PREFER);
        var answered = exchange.answered();
        var opened = exchange.opened();
        assertEquals(TORRENT, answered.infoHash());
        assertEquals(MessageStreamEncryption.PLAINTEXT, opened.method(), "both offered, plain text chosen");
        opened.out().write("hello".getBytes(StandardCharsets.US_ASCII));
        opened.out().flush();
        assertEquals("hello", new String(answered.in().readNBytes(5), StandardCharsets.US_ASCII));
        answered.out().write("there".getBytes(StandardCharsets.US_ASCII));
        answered.out().flush();
        assertEquals("there", new String(opened.in().readNBytes(5), StandardCharsets.US_ASCII));
    }

    @Test
    void requiringEncryptionTheAnswerChoosesRc4EvenWhenPlainTextIsOffered() throws Exception {
        var wire = Wire.open();
        var peer = new Initiator(wire);
        var handshake = async((() -> peer.handshake(TORRENT, 0x03, new byte[0], 5)));
        var answered = answer(wire, EncryptionPolicy.REQUIRE);
        handshake.get(10, TimeUnit.SECONDS);
        assertEquals(MessageStreamEncryption.RC4, answered.method());
        assertEquals(MessageStreamEncryption.RC4, peer.selected);
    }

    @Test
    void requiringEncryptionAPeerOfferingOnlyPlainTextAfterTheHandshakeIsRefused() throws Exception {
        var wire = Wire.open();
        var peer = new Initiator(wire);
        async((() -> peer.handshake(TORRENT, 0x01, new byte[0], 0)));
        var e = assertThrows(WireProtocolException.class, () -> answer(wire, EncryptionPolicy.REQUIRE));
        assertTrue(e.getMessage().contains("'require'"), e.getMessage());
    }

    @Test
    void requiringEncryptionOurOpeningOffersOnlyRc4() throws Exception {
        // the answer would take plain text if it were offered
        var exchange = exchange(EncryptionPolicy.REQUIRE, EncryptionPolicy.ALLOW);
        assertEquals(MessageStreamEncryption.RC4, exchange.opened().method());
        assertEquals(MessageStreamEncryption.RC4, exchange.answered().method());
    }

    /**
     * One opening in 256 gives up on a secret that begins with a zero byte; a test that then waited for the answer
     * on a wire nobody closed hung (seen once in a full run). Enough exchanges to meet such secrets all complete.
     */
    @Test
    void manyExchangesAllCompleteThoseWithASecretBeginningWithAZeroByteDialledAgain() throws Exception {
        for (int i = 0; i < 1500; i++) {
            var exchange = exchange(EncryptionPolicy.PREFER, EncryptionPolicy.PREFER);
            assertEquals(TORRENT, exchange.answered().infoHash());
        }
    }

    @Test
    void aPeerThatAnswersOurKeyWithAPlainTextHandshakeIsToldApartFromAMalformedAnswer() throws Exception {
        var wire = Wire.open();
        var opening = open(wire, EncryptionPolicy.PREFER);
        wire.answerOut().write(PeerWireCodec.HANDSHAKE_START);
        wire.answerOut().flush();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> opening.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MessageStreamEncryption.PlainTextAnswer, e.toString());
    }

    /**
     * libtorrent 2.0.8 cannot read an exchange whose shared secret begins with a zero byte, so our opening gives up
     * on exactly those, before sending anything keyed by the secret, and the caller dials again. A peer with a fixed
     * key answers many openings; each opening either stops there or goes on to await the peer's choice.
     */
    @Test
    void anOpeningWhoseSecretBeginsWithAZeroByteStopsBeforeUsingIt() throws Exception {
        BigInteger peerPrivate = new BigInteger(160, new SecureRandom());
        byte[] peerKey = MessageStreamEncryption.unsigned(MessageStreamEncryption.GENERATOR.modPow(peerPrivate,
                MessageStreamEncryption.PRIME));
        int zero = 0;
        int other = 0;
        for (int round = 0; round < 20_000 && (zero < 2 || other < 2); round++) {
            var wire = Wire.open();
            var opening = open(wire, EncryptionPolicy.PREFER);
            byte[] ours = wire.answerIn().readNBytes(MessageStreamEncryption.KEY_BYTES);
            wire.answerOut().write(peerKey);
            wire.answerOut().close(); // nothing more: an opening that goes on meets the end of the stream
            byte[] secret = MessageStreamEncryption.unsigned(new BigInteger(1, ours).modPow(peerPrivate,
                    MessageStreamEncryption.PRIME));
            var e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> opening.get(10, TimeUnit.SECONDS));
            if (secret[0] == 0) {
                zero++;
                assertTrue(e.getCause() instanceof MessageStreamEncryption.LeadingZeroSecret, e.toString());
            } else {
                other++;
                assertTrue(e.getCause() instanceof java.io.EOFException, e.toString());
            }
        }
        assertTrue(zero >= 2 && other >= 2, zero + " secrets with a leading zero byte, " + other + " without");
    }

    @Test
    void aHandshakeForATorrentNotServedIsRefused() throws Exception {
        var wire = Wire.open();
        var peer = new Initiator(wire);
        async((() -> peer.handshake(
                Digest.ofHex("ffffffffffffffffffffffffffffffffffffffff"), 0x03, new byte[0], 0)));
        var e = assertThrows(WireProtocolException.class, () -> answer(wire));
        assertTrue(e.getMessage().contains("not served here"), e.getMessage());
    }

    @Test
    void bytesThatAreNeitherHandshakeAreRefusedAfterABoundedRead() throws Exception {
        var wire = Wire.open();
        byte[] garbage = new byte[4096];
        new SplittableRandom(9).nextBytes(garbage);
        var counting = new InputStream() {
            int read;
            final InputStream in = wire.answerIn();

            @Override
            public int read() throws IOException {
                int b = in.read();
                read += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        async((() -> {
            wire.peerOut().write(garbage);
            wire.peerOut().flush();
        }));
        byte[] start = counting.readNBytes(20);
        var e = assertThrows(WireProtocolException.class, () -> MessageStreamEncryption.answer(start, counting,
                new ByteArrayOutputStream(), List.of(TORRENT), EncryptionPolicy.PREFER, new SecureRandom()));
        assertTrue(e.getMessage().contains("synchronisation"), e.getMessage());
        assertTrue(counting.read <= 96 + 512 + 20, "read " + counting.read + " bytes before giving up");
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs {@code action} on a thread of its own (the common pool may have one thread, which a blocked peer holds). */
    private static CompletableFuture<Void> async(IoAction action) {
        var done = new CompletableFuture<Void>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (IOException | RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
