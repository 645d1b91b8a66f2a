package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which files of a torrent are wanted. Files are numbered from 1 in the order of the info dictionary, pad files left
 * out, as {@code jtorr info} lists them. The wanted pieces are those with any byte in a wanted file; a piece that
 * straddles a wanted and an unwanted file is downloaded and verified whole, its unwanted bytes kept apart from the
 * user's files. Immutable.
 */
public final class FileSelection {
    private static final FileSelection ALL = new FileSelection(null, null);

    /** Per entry of {@link InfoDictionary#files()}; null when every file is wanted. */
    private final boolean[] wanted;
    /** Per entry of {@link InfoDictionary#files()}; null when every file is of normal priority. */
    private final FilePriority[] priorities;

    private FileSelection(boolean[] wanted, FilePriority[] priorities) {
        this.wanted = wanted;
        this.priorities = priorities;
    }

    /**
     * This selection with the files numbered as keys (from 1, pad files not counted) at the given priorities, the
     * others normal. Priorities order the fetching only: they change neither what is wanted nor {@link #key()}.
     *
     * @throws IllegalArgumentException for a number that is no file of the torrent
     */
    public FileSelection withPriorities(InfoDictionary info, java.util.Map<Integer, FilePriority> byNumber) {
        List<FileEntry> files = info.files();
        int userFiles = info.userFiles().size();
        FilePriority[] levels = new FilePriority[files.size()];
        Arrays.fill(levels, FilePriority.NORMAL);
        boolean any = false;
        for (var e : byNumber.entrySet()) {
            if (e.getKey() < 1 || e.getKey() > userFiles) {
                throw new IllegalArgumentException("there is no file " + e.getKey() + ": the torrent has " + userFiles
                        + (userFiles == 1 ? " file" : " files"));
            }
            any |= e.getValue() != FilePriority.NORMAL;
        }
        int number = 0;
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).isPadding()) {
                number++;
                levels[i] = byNumber.getOrDefault(number, FilePriority.NORMAL);
            }
        }
        return new FileSelection(wanted, any ? levels : null);
    }

    /** Whether some file is of a priority other than normal. */
    public boolean hasPriorities() {
        return priorities != null;
    }

    /** The priority of entry {@code fileIndex} of {@link InfoDictionary#files()}. */
    public FilePriority priority(int fileIndex) {
        return priorities == null ? FilePriority.NORMAL : priorities[fileIndex];
    }

    /**
     * The wanted pieces whose highest priority, over the wanted files they hold bytes of, is {@code level}: a piece
     * shared by a high and a low file is high.
     */
    public Bitfield piecesAt(PieceLayout layout, FilePriority level) {
        var out = new Bitfield(layout.pieceCount());
        for (int p = 0; p < layout.pieceCount(); p++) {
            FilePriority top = null;
            for (FileSpan s : layout.spans(p)) {
                if (!s.padding() && isWanted(s.fileIndex())) {
                    FilePriority f = priority(s.fileIndex());
                    top = top == null || f.compareTo(top) > 0 ? f : top;
                }
            }
            if (top == level) {
                out.set(p);
            }
        }
        return out;
    }

    public static FileSelection all() {
        return ALL;
    }

    /**
     * The files numbered {@code numbers} (from 1, pad files not counted).
     *
     * @throws IllegalArgumentException for a number that is no file of the torrent, or none at all
     */
    public static FileSelection of(InfoDictionary info, Collection<Integer> numbers) {
        List<FileEntry> files = info.files();
        int userFiles = info.userFiles().size();
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("no file selected");
        }
        var chosen = new TreeSet<Integer>();
        for (int n : numbers) {
            if (n < 1 || n > userFiles) {
                throw new IllegalArgumentException("there is no file " + n + ": the torrent has " + userFiles
                        + (userFiles == 1 ? " file" : " files") + " (numbered as jtorr info lists them)");
            }
            chosen.add(n);
        }
        if (chosen.size() == userFiles) {
            return ALL;
        }
        boolean[] wanted = new boolean[files.size()];
        int number = 0;
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).isPadding()) {
                number++;
                wanted[i] = chosen.contains(number);
            }
        }
        return new FileSelection(wanted, null);
    }

    /**
     * The file numbers (from 1, as {@link #of} takes them) of a magnet link's BEP 53 {@code so} ranges such as
     * {@code 0,2,4-6}: zero-based indices into the info dictionary's file list, pad files counted as libtorrent counts
     * them; a pad file named there is left out. Empty when no real file is named.
     *
     * @throws IllegalArgumentException for an index past the last file, or a malformed range
     */
    public static List<Integer> numbersOfIndices(InfoDictionary info, List<String> ranges) {
        List<FileEntry> files = info.files();
        int[] numbers = new int[files.size()];
        int number = 0;
        for (int i = 0; i < files.size(); i++) {
            numbers[i] = files.get(i).isPadding() ? 0 : ++number;
        }
        var out = new TreeSet<Integer>();
        for (String range : ranges) {
            int dash = range.indexOf('-');
            long from;
            long to;
            try {
                from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a file index or range: '" + range + "'");
            }
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("not a file index range: '" + range + "'");
            }
            if (to >= files.size()) {
                throw new IllegalArgumentException("there is no file index " + to + ": the torrent lists "
                        + files.size() + (files.size() == 1 ? " file" : " files") + ", indexed from 0");
            }
            for (int i = (int) from; i <= to; i++) {
                if (numbers[i] > 0) {
                    out.add(numbers[i]);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Parses a list of file numbers and ranges such as {@code 1,3-5} (spaces allowed).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static List<Integer> parse(String spec) {
        var out = new TreeSet<Integer>();
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 1 || to < from || to - from > 10_000_000) {
                    throw new NumberFormatException();
                }
                for (int n = from; n <= to; n++) {
                    out.add(n);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a file number or range: '" + p + "' (expected e.g. 1,3-5)");
            }
        }
        return List.copyOf(out);
    }

    public boolean isAll() {
        return wanted == null;
    }

    /** Whether entry {@code fileIndex} of {@link InfoDictionary#files()} is wanted (pad files: never, unless all). */
    public boolean isWanted(int fileIndex) {
        return wanted == null || wanted[fileIndex];
    }

    /** The pieces with any byte in a wanted file. */
    public Bitfield wantedPieces(PieceLayout layout) {
        if (wanted == null) {
            return Bitfield.full(layout.pieceCount());
        }
        var out = new Bitfield(layout.pieceCount());
        for (int p = 0; p < layout.pieceCount(); p++) {
            for (FileSpan s : layout.spans(p)) {
                if (!s.padding() && wanted[s.fileIndex()]) {
                    out.set(p);
                    break;
                }
            }
        }
        return out;
    }

    /** A stable text for the selection ("all", or the wanted entries' indices), to tell whether it changed. */
    public String key() {
        if (wanted == null) {
            return "all";
        }
        var sb = new StringBuilder();
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i]) {
                sb.append(sb.isEmpty() ? "" : ",").append(i);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileSelection f && Arrays.equals(wanted, f.wanted)
                && Arrays.equals(priorities, f.priorities);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(wanted) + Arrays.hashCode(priorities);
    }

    @Override
    public String toString() {
        return "FileSelection[" + key() + "]";
    }
}
