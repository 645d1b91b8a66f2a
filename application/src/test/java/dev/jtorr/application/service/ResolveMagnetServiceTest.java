package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ResolveMagnetCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a resolved magnet link becomes on disk, and the links refused before any peer is asked. */
class ResolveMagnetServiceTest {
    /** An info dictionary with its keys out of canonical order: its exact bytes, not a re-encoding, are its hash. */
    private static final byte[] INFO = ("d4:name3:abc12:piece lengthi16384e6:lengthi5e6:pieces20:"
            + "aaaaaaaaaaaaaaaaaaaae").getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void theTorrentKeepsTheInfoBytesExactlyAndTheLinksTrackersEachInATier() {
        byte[] torrent = ResolveMagnetService.torrentFile(INFO, List.of("http://a/announce", "udp://b:80"), Map.of());
        Metainfo m = MetainfoParser.parse(torrent);
        assertArrayEquals(INFO, m.infoBytes());
        assertEquals(List.of(List.of("http://a/announce"), List.of("udp://b:80")), m.trackers());
        assertFalse(MetainfoParser.parse(ResolveMagnetService.torrentFile(INFO, List.of(), Map.of())).trackers().size() > 0);
        assertEquals("abc", m.info().name());
    }

    @Test
    void aTorrentsNameBecomesASafeFileName() {
        assertEquals("My Show (2024) [1080p]", ResolveMagnetService.fileName("My Show (2024) [1080p]"));
        assertEquals("_etc_passwd", ResolveMagnetService.fileName("/etc/passwd"));
        assertEquals("_.._x", ResolveMagnetService.fileName("/../x"));
        assertEquals("hidden", ResolveMagnetService.fileName("...hidden"));
        assertEquals("torrent", ResolveMagnetService.fileName(".."));
        assertEquals(200, ResolveMagnetService.fileName("x".repeat(500)).length());
    }

    private ResolveMagnetService service() {
        var swarm = new SimulatedSwarm();
        return new ResolveMagnetService(new SwarmRuntime(new InMemoryMetainfoStore(), new InMemoryPieceStorage(),
                swarm.node("me", 1_000_000), TrackerClient.NONE, swarm, swarm, new SplittableRandom(1),
                ProgressListener.NONE, 1));
    }

    @Test
    void linksThatCannotBeResolvedAreRefusedAtOnce() {
        var options = SessionOptions.defaults(List.of(), 6881);
        var noPeers = assertThrows(InvalidCommandException.class, () -> service().resolve(
                new ResolveMagnetCommand("magnet:?xt=urn:btih:" + "ab".repeat(20), Path.of("t"), options)));
        assertTrue(noPeers.getMessage().contains("no one to ask"), noPeers.getMessage());
        var v2OnlyNoPeers = assertThrows(InvalidCommandException.class, () -> service().resolve(
                new ResolveMagnetCommand("magnet:?xt=urn:btmh:1220" + "ab".repeat(32), Path.of("t"), options)));
        assertTrue(v2OnlyNoPeers.getMessage().contains("no one to ask"), v2OnlyNoPeers.getMessage());
        assertThrows(InvalidCommandException.class, () -> service().resolve(new ResolveMagnetCommand(
                "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&x.pe=nonsense", Path.of("t"), options)));
    }
}
