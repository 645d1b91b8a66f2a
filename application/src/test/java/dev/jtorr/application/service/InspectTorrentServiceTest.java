package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.application.port.in.InspectTorrentCommand;
import dev.jtorr.application.port.in.InspectTorrentUseCase.Magnet;
import dev.jtorr.application.port.in.InspectTorrentUseCase.TorrentFile;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.domain.InvalidDataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InspectTorrentServiceTest {
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InspectTorrentService service = new InspectTorrentService(store);

    @Test
    void magnetLinksAreParsedWithoutTouchingFiles() {
        var result = service.inspect(new InspectTorrentCommand(
                "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=x"));
        assertEquals("x", assertInstanceOf(Magnet.class, result).link().displayName().orElseThrow());
    }

    @Test
    void torrentFilesAreReadAndValidated() {
        store.write(Path.of("bad.torrent"), "garbage".getBytes(StandardCharsets.US_ASCII), false);
        assertThrows(InvalidDataException.class, () -> service.inspect(new InspectTorrentCommand("bad.torrent")));
        assertThrows(ContentException.class, () -> service.inspect(new InspectTorrentCommand("missing.torrent")));
        assertThrows(InvalidCommandException.class, () -> new InspectTorrentCommand(" "));
    }

    @Test
    void aCreatedTorrentInspectsAsItself() {
        var reader = new dev.jtorr.application.testing.InMemoryContentReader().put("f.bin", new byte[40_000]);
        var created = new CreateTorrentService(reader, store,
                new dev.jtorr.application.testing.FakeTimeSource(java.time.Instant.EPOCH, java.time.Duration.ZERO),
                dev.jtorr.application.port.out.ProgressListener.NONE, Path.of("t"), 2, "jtorr")
                .create(new dev.jtorr.application.port.in.CreateTorrentCommand(Path.of("f.bin"),
                        java.util.Optional.empty(), java.util.Optional.empty(),
                        dev.jtorr.domain.metainfo.TorrentVersion.HYBRID, java.util.List.of(), java.util.List.of(),
                        false, java.util.Optional.empty(), java.util.Optional.empty(), false, false));
        var inspected = assertInstanceOf(TorrentFile.class, service.inspect(new InspectTorrentCommand("t/f.bin.torrent")));
        assertEquals(created.metainfo().infoHashes(), inspected.metainfo().infoHashes());
    }
}
