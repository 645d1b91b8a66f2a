package dev.jtorr.adapters.net;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The answering side of Message Stream Encryption (MSE/PE, the "encrypted connections" of libtorrent, qBittorrent,
 * Transmission and Vuze): a Diffie-Hellman exchange over a 768-bit prime, then RC4 keyed from the shared secret and
 * the info-hash. A peer that prefers encryption (libtorrent does by default) opens with it and, refused, retries in
 * plain text about a second later; one that requires it never gets through otherwise.
 *
 * <p>After the exchange the rest of the connection is in plain text when the peer offers it (as libtorrent does
 * unless told to prefer RC4; no cost per byte), else RC4 both ways, as the {@link EncryptionPolicy} allows. jtorr
 * answers it on incoming connections and opens with it when dialling (see {@link EncryptionPolicy#dialOrder}).
 *
 * <p>Everything a peer sends is bounded before it is read: its public key is 96 bytes, the padding before its
 * synchronisation hash at most 512, its second padding at most 512, its initial payload at most 65,535.
 */
final class MessageStreamEncryption {
    static final BigInteger PRIME = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9"
            + "A63A36210000000000090563", 16);
    static final BigInteger GENERATOR = BigInteger.TWO;
    static final int KEY_BYTES = 96;
    static final int MAX_PAD = 512;
    static final int PLAINTEXT = 0x01;
    static final int RC4 = 0x02;
    private static final int RC4_DISCARD = 1024;
    private static final int PRIVATE_KEY_BITS = 160;

    private MessageStreamEncryption() {
    }

    /** The connection's streams after the exchange, and the torrent the peer named. */
    record Answered(InputStream in, OutputStream out, Digest infoHash, int method) {
        Encryption encryption() {
            return method == RC4 ? Encryption.RC4 : Encryption.HANDSHAKE;
        }
    }

    /**
     * Completes an exchange whose first bytes ({@code start}, already read: fewer than 96) began the peer's public
     * key, for one of {@code infoHashes}; sends our key and answer on {@code out}.
     *
     * @throws WireProtocolException when the peer's part is malformed or names a torrent not in the list
     */
    static Answered answer(byte[] start, InputStream in, OutputStream out, List<Digest> infoHashes,
                           EncryptionPolicy policy, SecureRandom random) throws IOException {
        var data = new DataInputStream(in);
        byte[] theirKey = Arrays.copyOf(start, KEY_BYTES);
        data.readFully(theirKey, start.length, KEY_BYTES - start.length);
        BigInteger ya = publicKey(theirKey);
        BigInteger xb = sendKey(out, random);
        byte[] secret = unsigned(ya.modPow(xb, PRIME));

        syncOn(data, sha1("req1", secret));
        byte[] named = new byte[20];
        data.readFully(named);
        xor(named, sha1("req3", secret));
        Digest infoHash = infoHashes.stream().filter(h -> Arrays.equals(named, sha1("req2", h.bytes())))
                .findFirst().orElseThrow(() -> new WireProtocolException(
                        "encrypted handshake for a torrent that is not served here" + (secret[0] == 0
                                ? " (or from libtorrent before 2.0.13, which mis-hashes a secret that begins with a "
                                + "zero byte)" : "")));
        var incoming = new Rc4(sha1("keyA", secret, infoHash.bytes()), RC4_DISCARD);
        var outgoing = new Rc4(sha1("keyB", secret, infoHash.bytes()), RC4_DISCARD);

        byte[] head = decrypted(data, incoming, 8 + 4 + 2);
        var fields = ByteBuffer.wrap(head);
        if (fields.getLong() != 0) {
            throw new WireProtocolException("encrypted handshake: wrong verification constant");
        }
        int provided = fields.getInt();
        decrypted(data, incoming, padding(fields.getShort() & 0xffff));
        int initialLength = ByteBuffer.wrap(decrypted(data, incoming, 2)).getShort() & 0xffff;
        byte[] initial = decrypted(data, incoming, initialLength);
        int method = policy.choose((provided & PLAINTEXT) != 0, (provided & RC4) != 0)
                .map(chosen -> chosen == Encryption.RC4 ? RC4 : PLAINTEXT)
                .orElseThrow(() -> new WireProtocolException("encrypted handshake: the peer offers no method that "
                        + "encryption '" + policy.label() + "' allows (" + provided + ")"));

        byte[] reply = ByteBuffer.allocate(8 + 4 + 2).putLong(0).putInt(method).putShort((short) 0).array();
        outgoing.apply(reply, 0, reply.length);
        out.write(reply);
        out.flush();
        return streams(in, out, incoming, outgoing, initial, infoHash, method);
    }

    /**
     * Opens an exchange for {@code infoHash} on a new connection, offering RC4 and, when {@code policy} allows,
     * plain text after it (the peer chooses), and reads the peer's answer. Reading the peer's key is the step where
     * a peer that does not speak MSE hangs up.
     *
     * @throws WireProtocolException when the peer's answer is malformed or chooses what it was not offered
     */
    static Answered open(InputStream in, OutputStream out, Digest infoHash, EncryptionPolicy policy,
                         SecureRandom random, Consumer<String> step) throws IOException {
        var data = new DataInputStream(in);
        step.accept("sending our key");
        BigInteger xa = sendKey(out, random);
        step.accept("awaiting the peer's key");
        byte[] theirKey = new byte[KEY_BYTES];
        data.readFully(theirKey, 0, PeerWireCodec.HANDSHAKE_START.length);
        if (Arrays.equals(theirKey, 0, PeerWireCodec.HANDSHAKE_START.length, PeerWireCodec.HANDSHAKE_START, 0,
                PeerWireCodec.HANDSHAKE_START.length)) {
            throw new PlainTextAnswer();
        }
        data.readFully(theirKey, PeerWireCodec.HANDSHAKE_START.length,
                KEY_BYTES - PeerWireCodec.HANDSHAKE_START.length);
        step.accept("sending our offer");
        BigInteger yb = publicKey(theirKey);
        byte[] secret = unsigned(yb.modPow(xa, PRIME));
        if (secret[0] == 0) {
            throw new LeadingZeroSecret();
        }
        var outgoing = new Rc4(sha1("keyA", secret, infoHash.bytes()), RC4_DISCARD);
        var incoming = new Rc4(sha1("keyB", secret, infoHash.bytes()), RC4_DISCARD);
        byte[] named = sha1("req2", infoHash.bytes());
        xor(named, sha1("req3", secret));
        int offered = policy.offersPlainText() ? PLAINTEXT | RC4 : RC4;
        byte[] offer = ByteBuffer.allocate(8 + 4 + 2 + 2).putLong(0).putInt(offered).putShort((short) 0)
                .putShort((short) 0).array();
        outgoing.apply(offer, 0, offer.length);
        out.write(ByteBuffer.allocate(20 + 20 + offer.length).put(sha1("req1", secret)).put(named).put(offer)
                .array());
        out.flush();

        step.accept("awaiting the peer's choice");
        byte[] constant = new byte[8];
        incoming.apply(constant, 0, constant.length); // the verification constant as the peer's key encrypts it
        syncOn(data, constant);
        var fields = ByteBuffer.wrap(decrypted(data, incoming, 4 + 2));
        int method = fields.getInt();
        if ((method != PLAINTEXT && method != RC4) || (method & offered) == 0) {
            throw new WireProtocolException("encrypted handshake: the peer chose method " + method);
        }
        decrypted(data, incoming, padding(fields.getShort() & 0xffff));
        return streams(in, out, incoming, outgoing, new byte[0], infoHash, method);
    }

    /**
     * The shared secret begins with a zero byte (one exchange in 256). libtorrent before 2.0.13 (Debian 12 has 2.0.8)
     * hashes such a secret without its leading zero when it unmasks the torrent's hash, finds no torrent and hangs
     * up; the caller dials again, with a new key, rather than send what such a peer cannot read.
     */
    static final class LeadingZeroSecret extends IOException {
        LeadingZeroSecret() {
            super("the shared secret begins with a zero byte, which libtorrent before 2.0.13 mis-hashes");
        }
    }

    /**
     * The peer answered our key with a plain-text handshake: it does not speak MSE (a hang-up in effect, so a
     * plain-text dial may follow), not a malformed answer.
     */
    static final class PlainTextAnswer extends IOException {
        PlainTextAnswer() {
            super("the peer answered with a plain-text handshake");
        }
    }

    private static Answered streams(InputStream in, OutputStream out, Rc4 incoming, Rc4 outgoing, byte[] initial,
                                    Digest infoHash, int method) {
        InputStream rest = method == RC4 ? new DecryptingInput(in, incoming) : in;
        OutputStream restOut = method == RC4 ? new EncryptingOutput(out, outgoing) : out;
        InputStream all = initial.length == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(initial), rest);
        return new Answered(all, restOut, infoHash, method);
    }

    /** Sends a new public key and 0 to 512 random bytes of padding; returns its private key. */
    private static BigInteger sendKey(OutputStream out, SecureRandom random) throws IOException {
        BigInteger privateKey = new BigInteger(PRIVATE_KEY_BITS, random);
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        // one write: a peer that hangs up after reading the start finds it all sent (see PeerWireCodec)
        out.write(ByteBuffer.allocate(KEY_BYTES + pad.length).put(unsigned(GENERATOR.modPow(privateKey, PRIME)))
                .put(pad).array());
        out.flush();
        return privateKey;
    }

    private static BigInteger publicKey(byte[] bytes) throws WireProtocolException {
        BigInteger key = new BigInteger(1, bytes);
        if (key.compareTo(BigInteger.ONE) <= 0 || key.compareTo(PRIME.subtract(BigInteger.ONE)) >= 0) {
            throw new WireProtocolException("encrypted handshake: the peer's public key is out of range");
        }
        return key;
    }

    private static int padding(int length) throws WireProtocolException {
        if (length > MAX_PAD) {
            throw new WireProtocolException("encrypted handshake: padding of " + length + " bytes");
        }
        return length;
    }

    /** Reads until the last bytes read are {@code mark}: after at most {@value #MAX_PAD} bytes of padding. */
    private static void syncOn(DataInputStream in, byte[] mark) throws IOException {
        byte[] window = new byte[MAX_PAD + mark.length];
        int n = 0;
        while (n < window.length) {
            window[n++] = in.readByte();
            if (n >= mark.length && Arrays.equals(window, n - mark.length, n, mark, 0, mark.length)) {
                return;
            }
        }
        throw new WireProtocolException("encrypted handshake: no synchronisation within " + MAX_PAD
                + " bytes of padding (not MSE, or another torrent's secret)");
    }

    private static byte[] decrypted(DataInputStream in, Rc4 key, int length) throws IOException {
        byte[] b = new byte[length];
        in.readFully(b);
        key.apply(b, 0, length);
        return b;
    }

    /** {@code value} as exactly {@value #KEY_BYTES} big-endian bytes. */
    static byte[] unsigned(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int copy = Math.min(raw.length, KEY_BYTES);
        System.arraycopy(raw, raw.length - copy, out, KEY_BYTES - copy, copy);
        return out;
    }

    static byte[] sha1(String label, byte[]... parts) {
        try {
            var md = MessageDigest.getInstance("SHA-1");
            md.update(label.getBytes(StandardCharsets.US_ASCII));
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    private static void xor(byte[] into, byte[] with) {
        for (int k = 0; k < into.length; k++) {
            into[k] ^= with[k];
        }
    }

    /** Decrypts what it reads. */
    private static final class DecryptingInput extends FilterInputStream {
        private final Rc4 key;

        DecryptingInput(InputStream in, Rc4 key) {
            super(in);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                key.apply(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            int r = read(scratch, 0, scratch.length);
            return Math.max(r, 0);
        }
    }

    /** Encrypts what it writes, without touching the caller's bytes. */
    private static final class EncryptingOutput extends FilterOutputStream {
        private final Rc4 key;
        private final byte[] scratch = new byte[16 * 1024];

        EncryptingOutput(OutputStream out, Rc4 key) {
            super(out);
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, scratch.length);
                System.arraycopy(b, off, scratch, 0, n);
                key.apply(scratch, 0, n);
                out.write(scratch, 0, n);
                off += n;
                len -= n;
            }
        }
    }
}
