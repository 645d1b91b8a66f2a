package dev.jtorr.domain.wire;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.Sha;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The canonical allowed-fast set of BEP 6: the pieces a peer may download from us while we choke it. It depends only
 * on the peer's IPv4 address (its first three bytes, so that one network gets one set), the info-hash and the
 * torrent's piece count, so every sender offering {@code k} pieces offers the same {@code k}, and one offering
 * {@code k + 1} offers those and one more. IPv6 has no canonical set (BEP 6 makes no provision for it).
 */
public final class AllowedFastSet {
    /** BEP 6's {@code k}: pieces offered to a starting peer. libtorrent offers 5 ({@code allowed_fast_set_size}). */
    public static final int DEFAULT_SIZE = 10;

    private AllowedFastSet() {
    }

    /**
     * The first {@code k} pieces of the set, in the order BEP 6 generates them; every piece when the torrent has no
     * more than {@code k}.
     *
     * @param ipv4       the peer's address, four bytes
     * @param pieceCount pieces in the torrent (at least 1)
     */
    public static int[] of(int k, int pieceCount, byte[] ipv4, Digest infoHash) {
        if (ipv4.length != 4 || infoHash.length() != 20 || pieceCount < 1 || k < 0) {
            throw new IllegalArgumentException("allowed-fast set of " + k + " from " + ipv4.length + " address bytes, "
                    + pieceCount + " pieces");
        }
        if (k >= pieceCount) {
            int[] all = new int[pieceCount];
            Arrays.setAll(all, i -> i);
            return all;
        }
        MessageDigest sha1 = Sha.sha1();
        byte[] x = new byte[24];
        System.arraycopy(ipv4, 0, x, 0, 3); // ip & 0xffffff00
        System.arraycopy(infoHash.bytes(), 0, x, 4, 20);
        int[] set = new int[k];
        int size = 0;
        while (size < k) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && size < k; i++) {
                long y = ((x[4 * i] & 0xffL) << 24) | ((x[4 * i + 1] & 0xff) << 16) | ((x[4 * i + 2] & 0xff) << 8)
                        | (x[4 * i + 3] & 0xff);
                int index = (int) (y % pieceCount);
                if (!contains(set, size, index)) {
                    set[size++] = index;
                }
            }
        }
        return set;
    }

    private static boolean contains(int[] set, int size, int index) {
        for (int i = 0; i < size; i++) {
            if (set[i] == index) {
                return true;
            }
        }
        return false;
    }
}
