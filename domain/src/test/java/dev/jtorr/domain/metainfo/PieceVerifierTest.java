package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every piece of a multi-file torrent verifies against the torrent's own hashes, pad bytes included as the wire
 * delivers them (a v2 piece's pad bytes lie outside its merkle tree), and one changed byte fails it.
 */
class PieceVerifierTest {
    private static final long PIECE = 64 * 1024;

    @ParameterizedTest
    @EnumSource(TorrentVersion.class)
    void everyPieceOfEveryFileVerifiesAndAChangedByteDoesNot(TorrentVersion version) {
        // a file of less than one piece, one of several pieces with a short tail, an empty one, one of 1 block
        Map<List<String>, byte[]> content = TestTorrents.content("a-small", 20_000, "b-big", 200_000, "c-empty", 0,
                "d/tail", 16_384); // in name order, as a v2 file tree holds them
        Metainfo metainfo = MetainfoParser.parse(TestTorrents.create("set", content, PIECE, version, false));
        var verifier = new PieceVerifier(metainfo);
        PieceLayout layout = verifier.layout();
        List<FileEntry> files = metainfo.info().files();
        for (int p = 0; p < layout.pieceCount(); p++) {
            ByteBuffer data = ByteBuffer.allocate(verifier.dataLength(p));
            for (FileSpan s : layout.spans(p)) {
                FileEntry f = files.get(s.fileIndex());
                byte[] bytes = f.isPadding() ? new byte[(int) f.length()]
                        : content.get(f.torrentPath().subList(1, f.torrentPath().size()));
                data.put(bytes, (int) s.fileOffset(), s.length());
            }
            data.flip();
            assertTrue(verifier.verify(p, data), version + " piece " + p);
            data.put(0, (byte) (data.get(0) ^ 1));
            assertFalse(verifier.verify(p, data), version + " piece " + p + " with a changed byte");
        }
    }

    @Test
    void aHybridPieceMustMatchItsV2HashAsWellAsItsV1Hash() {
        Map<List<String>, byte[]> content = TestTorrents.content("big", 200_000);
        Metainfo m = MetainfoParser.parse(TestTorrents.create("set", content, PIECE, TorrentVersion.HYBRID, false));
        var layers = new java.util.HashMap<Digest, byte[]>();
        m.pieceLayers().forEach((root, layer) -> {
            byte[] wrong = layer.clone();
            wrong[0] ^= 1; // the first piece's v2 hash
            layers.put(root, wrong);
        });
        Metainfo forged = new Metainfo(m.info(), m.infoBytes(), m.infoHashes(), m.trackers(), m.webSeeds(),
                m.comment(), m.createdBy(), m.creationDate(), layers, m.warnings());
        ByteBuffer first = ByteBuffer.wrap(content.get(List.of("big")), 0, (int) PIECE).slice();
        assertTrue(new PieceVerifier(m).verify(0, first));
        assertFalse(new PieceVerifier(forged).verify(0, first), "its SHA-1 matches, its SHA-256 does not");
        var noLayers = new Metainfo(m.info(), m.infoBytes(), m.infoHashes(), m.trackers(), m.webSeeds(),
                m.comment(), m.createdBy(), m.creationDate(), Map.of(), m.warnings());
        assertTrue(new PieceVerifier(noLayers).verify(0, first), "without its layer, its SHA-1 decides");
    }
}
