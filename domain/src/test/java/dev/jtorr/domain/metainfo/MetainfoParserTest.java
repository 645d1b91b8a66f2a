package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.piece.Sha;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MetainfoParserTest {
    private static final long L = 32 * 1024;
    private static final String NAME = "tree";

    private static byte[] multi(TorrentVersion v) {
        return TestTorrents.create(NAME, TestTorrents.content("a.bin", 100_000, "empty", 0, "sub/b.bin", 40_000,
                "sub/deep/c.bin", 7, "z.bin", 2 * (int) L), L, v, false);
    }

    @ParameterizedTest
    @EnumSource(TorrentVersion.class)
    void multiFileTorrentsRoundTrip(TorrentVersion v) {
        byte[] bytes = multi(v);
        Metainfo m = MetainfoParser.parse(bytes);
        assertEquals(v, m.info().version());
        assertEquals(NAME, m.info().name());
        assertFalse(m.info().singleFile());
        assertEquals(List.of("tree/a.bin", "tree/empty", "tree/sub/b.bin", "tree/sub/deep/c.bin", "tree/z.bin"),
                m.info().userFiles().stream().map(FileEntry::pathString).toList());
        assertEquals(100_000 + 40_000 + 7 + 2 * L, m.info().totalLength());
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce")), m.trackers());
        assertEquals("test", m.comment().orElseThrow());
        // the writer is canonical: parse then write gives the same bytes
        assertArrayEquals(bytes, BencodeEncoder.encode(BencodeDecoder.decode(bytes)));
        assertEquals(v.hasV1(), m.infoHashes().v1().isPresent());
        assertEquals(v.hasV2(), m.infoHashes().v2().isPresent());
    }

    @Test
    void infoHashesAreHashesOfTheExactInfoBytes() {
        byte[] bytes = multi(TorrentVersion.HYBRID);
        Metainfo m = MetainfoParser.parse(bytes);
        byte[] info = BencodeEncoder.encode(((BDictionary) BencodeDecoder.decode(bytes)).get("info").orElseThrow());
        assertArrayEquals(info, m.infoBytes());
        assertArrayEquals(Sha.sha1().digest(info), m.infoHashes().v1().orElseThrow().bytes());
        assertArrayEquals(Sha.sha256().digest(info), m.infoHashes().v2().orElseThrow().bytes());
        assertArrayEquals(Arrays.copyOf(Sha.sha256().digest(info), 20),
                m.infoHashes().v2Truncated().orElseThrow().bytes());
    }

    @Test
    void hybridTorrentsAlignFilesWithPadFiles() {
        Metainfo m = MetainfoParser.parse(multi(TorrentVersion.HYBRID));
        for (FileEntry f : m.info().userFiles()) {
            if (f.length() > 0) {
                assertEquals(0, f.offset() % L, f.pathString());
                assertTrue(f.piecesRoot().isPresent(), f.pathString());
            }
        }
        List<FileEntry> pads = m.info().files().stream().filter(FileEntry::isPadding).toList();
        assertEquals(3, pads.size()); // after a.bin, sub/b.bin, sub/deep/c.bin; none after the empty or last file
        assertEquals(List.of(NAME, ".pad", String.valueOf(4 * L - 100_000)), pads.get(0).torrentPath());
        // the large files carry verified piece layers
        assertEquals(3, m.pieceLayers().size()); // a.bin, sub/b.bin and z.bin exceed one piece
    }

    @ParameterizedTest
    @EnumSource(TorrentVersion.class)
    void singleFileTorrentsRoundTrip(TorrentVersion v) {
        byte[] bytes = TestTorrents.create("one.iso", TestTorrents.content("one.iso", 3 * (int) L + 5), L, v, true);
        Metainfo m = MetainfoParser.parse(bytes);
        assertTrue(m.info().singleFile());
        assertEquals(List.of("one.iso"), m.info().files().get(0).path());
        assertEquals(4, m.info().pieceCount());
        assertEquals(v.hasV1() ? 80 : 0, m.info().pieces().length);
    }

    // --- tampering: each rule gives a typed error naming the problem ---

    private static byte[] tamper(byte[] torrent, UnaryOperator<BDictionary> change) {
        return BencodeEncoder.encode(change.apply((BDictionary) BencodeDecoder.decode(torrent)));
    }

    private static UnaryOperator<BDictionary> info(UnaryOperator<BDictionary.Builder> change) {
        return root -> {
            var info = BDictionary.builder();
            root.getDictionary("info").orElseThrow().entries().forEach(info::put);
            var top = BDictionary.builder();
            root.entries().forEach(top::put);
            return top.put("info", change.apply(info).build()).build();
        };
    }

    /** Replaces the path of the first entry of info.files. */
    private static UnaryOperator<BDictionary.Builder> firstFilePath(BList path) {
        return i -> {
            var files = new java.util.ArrayList<BValue>(((BList) i.build().get("files").orElseThrow()).values());
            var first = BDictionary.builder();
            ((BDictionary) files.get(0)).entries().forEach(first::put);
            files.set(0, first.put("path", path).build());
            return i.put("files", new BList(files));
        };
    }

    private static void assertRejected(byte[] torrent, String expected) {
        var e = assertThrows(MetainfoException.class, () -> MetainfoParser.parse(torrent));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsAWrongNumberOfPieces() {
        byte[] t = tamper(multi(TorrentVersion.V1), info(i -> i.put("pieces", new byte[20])));
        assertRejected(t, "info.pieces holds 1 hashes");
        assertRejected(tamper(multi(TorrentVersion.V1), info(i -> i.put("pieces", new byte[21]))),
                "not a multiple of 20");
    }

    @Test
    void rejectsAV2PieceLengthThatIsNotAPowerOfTwo() {
        assertRejected(tamper(multi(TorrentVersion.V2), info(i -> i.put("piece length", 3 * 16384))),
                "power of two");
        assertRejected(tamper(multi(TorrentVersion.V2), info(i -> i.put("piece length", 8192))), "power of two");
    }

    @Test
    void rejectsPieceLayersThatDoNotMatchTheirRoot() {
        byte[] t = tamper(multi(TorrentVersion.V2), root -> {
            var layers = BDictionary.builder();
            root.getDictionary("piece layers").orElseThrow().entries().forEach((k, v) -> {
                byte[] b = ((BString) v).bytes();
                b[0] ^= 1;
                layers.put(k, new BString(b));
            });
            var top = BDictionary.builder();
            root.entries().forEach(top::put);
            return top.put("piece layers", layers.build()).build();
        });
        assertRejected(t, "do not match its pieces root");
        byte[] missing = tamper(multi(TorrentVersion.V2), root -> {
            var top = BDictionary.builder();
            root.entries().forEach(top::put);
            return top.put("piece layers", BDictionary.builder().build()).build();
        });
        Metainfo lacking = MetainfoParser.parse(missing);
        assertTrue(lacking.pieceLayers().isEmpty());
        assertTrue(lacking.warnings().get(0).startsWith("the piece layers of 3 file(s) are missing"),
                lacking.warnings().toString());
    }

    @Test
    void rejectsHybridHalvesThatDisagree() {
        byte[] t = tamper(multi(TorrentVersion.HYBRID), info(firstFilePath(BList.of(BString.of("other.bin")))));
        assertRejected(t, "does not match v2 file");
    }

    @Test
    void pathsThatWouldEscapeTheFolderStayInsideIt() {
        Metainfo m = MetainfoParser.parse(tamper(multi(TorrentVersion.V1),
                info(firstFilePath(BList.of(BString.of(".."), BString.of("etc"), BString.of("passwd"))))));
        FileEntry first = m.info().files().get(0);
        assertEquals(List.of(NAME, "etc", "passwd"), first.path());
        assertEquals(List.of(NAME, "..", "etc", "passwd"), first.torrentPath());
        assertTrue(first.isRenamed());

        Metainfo dots = MetainfoParser.parse(tamper(multi(TorrentVersion.V1), info(i -> i.put("name", ".."))));
        String hex = dots.infoHashes().v1().orElseThrow().hex();
        assertEquals(hex, dots.info().name(), "a name with nothing left: the info-hash");
        assertTrue(dots.info().files().stream().allMatch(f -> f.path().get(0).equals(hex)));

        Metainfo v2 = MetainfoParser.parse(tamper(multi(TorrentVersion.V2), info(i -> i.put("file tree",
                BDictionary.builder().put("..", BDictionary.builder().put("x", BDictionary.builder().put("",
                        BDictionary.builder().put("length", 1).put("pieces root", new BString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8,
                                9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}))
                                .build()).build()).build()).build()))));
        assertEquals(List.of(List.of(NAME, "x")), v2.info().files().stream().map(FileEntry::path).toList());
        assertRejected(tamper(multi(TorrentVersion.V2), info(i -> i.put("file tree", BDictionary.builder().put("x",
                BDictionary.builder().put("", BDictionary.builder().put("length", 1)
                        .put("pieces root", new BString(new byte[32])).build()).build()).build()))), "all-zero");
    }

    @Test
    void aSymbolicLinkPointsInsideTheFolderWhateverItsTargetSays() {
        byte[] t = tamper(multi(TorrentVersion.V1), info(i -> {
            var files = new java.util.ArrayList<BValue>(((BList) i.build().get("files").orElseThrow()).values());
            files.add(BDictionary.builder().put("attr", "l").put("path", BList.of(BString.of("link")))
                    .put("symlink path", BList.of(BString.of(".."), BString.of(".."), BString.of("etc"),
                            BString.of("passwd"))).build()); // no length: BEP 47 allows leaving it out
            return i.put("files", new BList(files));
        }));
        FileEntry link = MetainfoParser.parse(t).info().files().stream().filter(FileEntry::isSymlink).findFirst()
                .orElseThrow();
        assertEquals(List.of(NAME, "link"), link.path());
        assertEquals(List.of(NAME, "etc", "passwd"), link.symlinkTarget().orElseThrow());
        assertEquals(0, link.length());
    }

    @Test
    void duplicatePathsAndAFileOnAFolderAreRenamedAsLibtorrentDoes() {
        var path = BList.of(BString.of("sub"), BString.of("b.bin"));
        Metainfo m = MetainfoParser.parse(tamper(multi(TorrentVersion.V1), info(firstFilePath(path))));
        assertEquals(List.of("tree/sub/b.bin", "tree/empty", "tree/sub/b.1.bin", "tree/sub/deep/c.bin", "tree/z.bin"),
                m.info().files().stream().map(FileEntry::pathString).toList());
        Metainfo clash = MetainfoParser.parse(tamper(multi(TorrentVersion.V1),
                info(firstFilePath(BList.of(BString.of("sub"), BString.of("deep"))))));
        assertEquals("tree/sub/deep.1", clash.info().files().get(0).pathString());
    }

    @Test
    void rejectsTorrentsWithoutTheEssentials() {
        assertRejected(tamper(multi(TorrentVersion.V1), info(i -> i.put("name", 5))), "info.name");
        assertRejected("li1ee".getBytes(StandardCharsets.US_ASCII), "not a dictionary");
        assertRejected("d3:fooi1ee".getBytes(StandardCharsets.US_ASCII), "no 'info'");
        var truncated = assertThrows(MetainfoException.class,
                () -> MetainfoParser.parse(Arrays.copyOf(multi(TorrentVersion.V1), 100)));
        assertTrue(truncated.getMessage().startsWith("not a torrent: "), truncated.getMessage());
        assertInstanceOf(BencodeException.class, truncated.getCause());
    }

    @Test
    void unknownMetaVersionIsRejected() {
        assertRejected(tamper(multi(TorrentVersion.V2), info(i -> i.put("meta version", 3))), "meta version 3");
    }

    @Test
    void anInfoDictionaryWithKeysOutOfOrderIsReadWithAWarningAndHashedAsWritten() {
        String pieces = "20:" + "p".repeat(20);
        byte[] sorted = ("d4:infod6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces" + pieces + "ee")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] unsorted = ("d4:infod4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces" + pieces + "ee")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(MetainfoParser.parse(sorted).warnings().isEmpty());
        Metainfo m = MetainfoParser.parse(unsorted);
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("not canonical")), m.warnings().toString());
        byte[] info = Arrays.copyOfRange(unsorted, 7, unsorted.length - 1);
        assertArrayEquals(Sha.sha1().digest(info), m.infoHashes().v1().orElseThrow().bytes());
    }
}
