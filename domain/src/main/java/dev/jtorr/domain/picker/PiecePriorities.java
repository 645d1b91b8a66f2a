package dev.jtorr.domain.picker;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranges of pieces to fetch before any other, as streaming needs them: the pieces under what a reader waits for and a
 * read-ahead window after it (libtorrent's time-critical pieces, with the order standing in for the deadline). Each
 * range is held under a key its owner chose, so that several readers hold ranges at once and each moves or drops its
 * own. The {@link PiecePicker} starts these pieces first: the oldest range first, in index order within a range; the
 * usual order (rarest first, or sequential) goes on for the rest. Single-threaded.
 */
public final class PiecePriorities {
    /**
     * Pieces {@code first} to {@code last}, both included, held under {@code key}.
     */
    public record Range(int key, int first, int last) {
        public Range {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("bad piece range " + first + ".." + last);
            }
        }
    }

    private final int pieceCount;
    /** Oldest first. A handful at most (one per open reader), so a list beats a map. */
    private final List<Range> ranges = new ArrayList<>();

    public PiecePriorities(int pieceCount) {
        this.pieceCount = pieceCount;
    }

    /**
     * Holds pieces {@code first..last} under {@code key}: a new key's range goes after the others, a known key's
     * range is moved and keeps its place.
     *
     * @throws IllegalArgumentException for an empty range or a piece out of range
     */
    public void set(int key, int first, int last) {
        var range = new Range(key, first, last);
        if (last >= pieceCount) {
            throw new IllegalArgumentException("piece " + last + " is not in the torrent (" + pieceCount + " pieces)");
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).key() == key) {
                ranges.set(i, range);
                return;
            }
        }
        ranges.add(range);
    }

    /** Lets the range held under {@code key} go (nothing for an unknown key). */
    public void remove(int key) {
        ranges.removeIf(r -> r.key() == key);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether some range holds {@code piece}. */
    public boolean contains(int piece) {
        for (Range r : ranges) {
            if (piece >= r.first() && piece <= r.last()) {
                return true;
            }
        }
        return false;
    }

    /** The ranges, oldest first. */
    public List<Range> ranges() {
        return List.copyOf(ranges);
    }

    /** The ranges themselves, for the picker to walk on every pick without a copy. */
    List<Range> live() {
        return ranges;
    }
}
