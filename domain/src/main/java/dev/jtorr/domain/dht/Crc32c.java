package dev.jtorr.domain.dht;

/**
 * CRC-32C (Castagnoli, reflected polynomial {@code 0x82F63B78}), the hash BEP 42 ties node ids to addresses with.
 * The domain may not use {@code java.util.zip}, and a table-driven CRC is a few lines. Stateless.
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32c() {
    }

    /** The CRC-32C of {@code length} bytes of {@code data} from {@code offset}. */
    static int of(byte[] data, int offset, int length) {
        int crc = ~0;
        for (int i = offset; i < offset + length; i++) {
            crc = TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
        }
        return ~crc;
    }
}
