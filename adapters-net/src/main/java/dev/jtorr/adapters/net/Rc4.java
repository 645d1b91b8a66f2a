package dev.jtorr.adapters.net;

/**
 * The RC4 keystream, as Message Stream Encryption uses it: {@link #apply} XORs bytes in place with the next
 * keystream bytes, so the same call encrypts and decrypts. Not thread-safe: one instance per direction.
 */
final class Rc4 {
    private final byte[] state = new byte[256];
    private int i;
    private int j;

    /** A keystream from {@code key} whose first {@code discard} bytes are thrown away (MSE discards 1024). */
    Rc4(byte[] key, int discard) {
        if (key.length == 0 || key.length > 256) {
            throw new IllegalArgumentException("an RC4 key is 1 to 256 bytes, not " + key.length);
        }
        for (int k = 0; k < 256; k++) {
            state[k] = (byte) k;
        }
        for (int k = 0, m = 0; k < 256; k++) {
            m = (m + (state[k] & 0xff) + (key[k % key.length] & 0xff)) & 0xff;
            swap(k, m);
        }
        apply(new byte[discard], 0, discard);
    }

    /** XORs {@code length} bytes of {@code bytes} from {@code offset} with the keystream. */
    void apply(byte[] bytes, int offset, int length) {
        byte[] s = state;
        int x = i;
        int y = j;
        for (int k = offset, end = offset + length; k < end; k++) {
            x = (x + 1) & 0xff;
            int sx = s[x] & 0xff;
            y = (y + sx) & 0xff;
            int sy = s[y] & 0xff;
            s[x] = (byte) sy;
            s[y] = (byte) sx;
            bytes[k] ^= s[(sx + sy) & 0xff];
        }
        i = x;
        j = y;
    }

    private void swap(int a, int b) {
        byte t = state[a];
        state[a] = state[b];
        state[b] = t;
    }
}
