package dev.jtorr.domain.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 160-bit DHT node id or lookup target (BEP 5); distance between ids is their XOR, compared as unsigned. */
public record NodeId(byte[] bytes) {
    public static final int LENGTH = 20;

    public NodeId {
        if (bytes == null || bytes.length != LENGTH) {
            throw new KrpcException("a node id is 20 bytes");
        }
        bytes = bytes.clone();
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    public static NodeId ofHex(String hex) {
        return new NodeId(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    byte at(int i) {
        return bytes[i];
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefix(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return LENGTH * 8;
    }

    /** Negative when {@code a} is closer to this id than {@code b}, zero when equally close. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** A random id sharing exactly {@code prefix} leading bits with this one (for refreshing a bucket). */
    public NodeId randomWithPrefix(int prefix, RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int bit = 0; bit <= Math.min(prefix, LENGTH * 8 - 1); bit++) {
            int mask = 0x80 >>> (bit % 8);
            boolean own = (bytes[bit / 8] & mask) != 0;
            boolean set = bit < prefix ? own : !own;
            b[bit / 8] = (byte) (set ? b[bit / 8] | mask : b[bit / 8] & ~mask);
        }
        return new NodeId(b);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
