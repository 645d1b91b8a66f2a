package dev.jtorr.adapters.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.daemon.DaemonService;
import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.Changes;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentChanges;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase.RunningDaemon;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.application.port.in.UnknownTorrentException;
import dev.jtorr.domain.metainfo.FilePriority;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with real sockets and files on loopback, its peer an in-process jtorr seed: torrents added by .torrent
 * or magnet download, and they, their settings and what is verified survive a restart of the daemon.
 */
class DaemonTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path state() {
        return dir.resolve("state");
    }

    private Path downloads() {
        return dir.resolve("downloads");
    }

    private Path content(String name, int size) throws Exception {
        Path file = dir.resolve("seed").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] data = new byte[size];
        new Random(size + name.hashCode()).nextBytes(data);
        Files.write(file, data);
        return file;
    }

    private Path torrentOf(Path content) {
        Path torrent = dir.resolve(content.getFileName() + ".torrent");
        var run = CliRun.of("create", content.toString(), "--piece-size", "64KiB", "-o", torrent.toString());
        assertEquals(0, run.status(), run.toString());
        return torrent;
    }

    private RunningDaemon daemon(List<PeerAddress> peers) {
        var options = new SessionOptions(peers, "127.0.0.1", 0, 50, 0, 0, 0, false, 16L << 20, List.of(), true,
                EncryptionPolicy.PREFER);
        return new DaemonService(Jtorr.runtime(false)).start(new StartDaemonCommand(state(), downloads(),
                List.of(dir.resolve("elsewhere")), options));
    }

    private static TorrentView await(RunningDaemon daemon, String id, Predicate<TorrentView> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        TorrentView t = daemon.torrent(id);
        while (!condition.test(t)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached in " + LIMIT + ": " + t);
            }
            daemon.changesSince(t.version(), Duration.ofMillis(200));
            t = daemon.torrent(id);
        }
        return t;
    }

    private static boolean complete(TorrentView t) {
        return t.sizeBytes() > 0 && t.verifiedBytes() == t.sizeBytes() && t.state().equals("seeding");
    }

    @Test
    void aTorrentDownloadsAndIsStillCompleteAfterARestart() throws Exception {
        Path file = content("film.bin", 3 << 20);
        Path torrent = torrentOf(file);
        String id;
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start()) {
            seeder.seed(torrent, file);
            RunningDaemon daemon = daemon(List.of(PeerAddress.parse("127.0.0.1:" + seeder.port())));
            try {
                TorrentView added = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent)));
                id = added.id();
                assertEquals("film.bin", added.name());
                assertEquals(3 << 20, added.sizeBytes());
                await(daemon, id, DaemonTest::complete);
                assertThrows(TorrentExistsException.class,
                        () -> daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent))));
            } finally {
                daemon.close();
            }
        }
        assertEquals(-1L, Files.mismatch(file, downloads().resolve("film.bin")));
        assertTrue(Files.isRegularFile(state().resolve("torrents").resolve(id + ".torrent")));

        RunningDaemon again = daemon(List.of()); // no peer at all: what it has must come from the disk
        try {
            TorrentView t = await(again, id, DaemonTest::complete);
            assertEquals("film.bin", t.name());
            assertEquals(0, t.downloaded(), "nothing fetched again");
            assertEquals(List.of(new FileView(0, "film.bin", 3 << 20, 3 << 20, true, FilePriority.NORMAL)), again.files(id));
        } finally {
            again.close();
        }
    }

    @Test
    void aMagnetLinkResolvesFromItsPeerAndIsKeptAsATorrentAfterwards() throws Exception {
        Path file = content("song.bin", 1 << 20);
        Path torrent = torrentOf(file);
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start()) {
            String magnet = seeder.seed(torrent, file).id();
            String link = "magnet:?xt=urn:btih:" + magnet + "&dn=song.bin&x.pe=127.0.0.1:" + seeder.port();
            RunningDaemon daemon = daemon(List.of());
            try {
                TorrentView added = daemon.add(AddTorrentCommand.ofMagnet(link));
                assertEquals(magnet, added.id());
                assertEquals(Optional.of(link), added.magnet());
                TorrentView done = await(daemon, magnet, DaemonTest::complete);
                assertEquals("song.bin", done.name());
            } finally {
                daemon.close();
            }
            assertTrue(Files.isRegularFile(state().resolve("torrents").resolve(magnet + ".torrent")),
                    "the metadata is kept: a restart does not ask peers again");
        }
        assertEquals(-1L, Files.mismatch(file, downloads().resolve("song.bin")));
    }

    @Test
    void pausedSettingsAndChoicesOfFilesSurviveARestart() throws Exception {
        Path folder = dir.resolve("seed").resolve("album");
        Files.createDirectories(folder);
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[300_000 + i];
            new Random(i).nextBytes(data);
            Files.write(folder.resolve("track" + i + ".bin"), data);
        }
        Path torrent = torrentOf(folder);
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start()) {
            seeder.seed(torrent, folder);
            var peers = List.of(PeerAddress.parse("127.0.0.1:" + seeder.port()));
            RunningDaemon daemon = daemon(peers);
            String id;
            try {
                id = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent)).withPaused(true)).id();
                assertEquals("paused", daemon.torrent(id).state());
                daemon.change(id, new TorrentChanges(Optional.of(1_000_000L), Optional.empty(),
                        Optional.of(List.of(1, 2)), Optional.empty(), java.util.Map.of(1, FilePriority.LOW)));
                daemon.change(id, new TorrentChanges(Optional.empty(), Optional.empty(),
                        Optional.of(List.of(2)), Optional.empty()));
                assertEquals(List.of(false, false, true), daemon.files(id).stream().map(FileView::wanted).toList());
            } finally {
                daemon.close();
            }
            RunningDaemon again = daemon(peers);
            try {
                TorrentView t = again.torrent(id);
                assertEquals("paused", t.state());
                assertEquals(1_000_000L, t.downloadLimit());
                assertEquals(300_002, t.sizeBytes(), "only the chosen file is wanted");
                assertEquals(FilePriority.LOW, again.files(id).get(1).priority());
                again.resume(id);
                await(again, id, DaemonTest::complete);
            } finally {
                again.close();
            }
        }
        assertEquals(-1L, Files.mismatch(folder.resolve("track2.bin"), downloads().resolve("album/track2.bin")));
        assertFalse(Files.exists(downloads().resolve("album/track0.bin")), "an unwanted file is not created");
    }

    @Test
    void removingWithItsDataDeletesTheFilesAndTheStateAndTheChangeFeedSaysSo() throws Exception {
        Path file = content("gone.bin", 1 << 20);
        Path torrent = torrentOf(file);
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start()) {
            seeder.seed(torrent, file);
            RunningDaemon daemon = daemon(List.of(PeerAddress.parse("127.0.0.1:" + seeder.port())));
            try {
                Changes before = daemon.changesSince(0, Duration.ZERO);
                assertTrue(before.full());
                assertEquals(List.of(), before.changed());
                String id = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent))).id();
                await(daemon, id, DaemonTest::complete);
                daemon.pause(id);
                assertEquals("paused", daemon.torrent(id).state(), "the answer shows the pause done");
                daemon.resume(id);
                assertEquals("seeding", daemon.torrent(id).state(), "the answer shows the resume done");
                Changes now = daemon.changesSince(before.cursor(), Duration.ZERO);
                assertFalse(now.full());
                assertEquals(List.of(id), now.changed().stream().map(TorrentView::id).toList());

                daemon.remove(id, true);
                Changes after = daemon.changesSince(now.cursor(), Duration.ofSeconds(5));
                assertEquals(List.of(id), after.removed());
                assertEquals(List.of(), after.changed());
                assertThrows(UnknownTorrentException.class, () -> daemon.torrent(id));
                assertFalse(Files.exists(downloads().resolve("gone.bin")));
                assertFalse(Files.exists(state().resolve("torrents").resolve(id + ".torrent")));
                assertFalse(Files.exists(state().resolve("torrents").resolve(id + ".entry")));
                assertTrue(daemon.changesSince(after.cursor(), Duration.ofMillis(100)).isEmpty(),
                        "nothing changed since: the wait ran out");
            } finally {
                daemon.close();
            }
        }
    }

    @Test
    void aDownloadFolderOutsideTheAllowedOnesIsRefused() throws Exception {
        Path torrent = torrentOf(content("x.bin", 100_000));
        RunningDaemon daemon = daemon(List.of());
        try {
            byte[] bytes = Files.readAllBytes(torrent);
            var e = assertThrows(InvalidCommandException.class,
                    () -> daemon.add(AddTorrentCommand.ofTorrent(bytes).withDownloadDir(Path.of("../../etc"))));
            assertTrue(e.getMessage().contains("outside the folders downloads may go to"), e.getMessage());
            assertEquals(List.of(), daemon.torrents());
            TorrentView ok = daemon.add(AddTorrentCommand.ofTorrent(bytes)
                    .withDownloadDir(dir.resolve("elsewhere").resolve("sub")));
            assertEquals(dir.resolve("elsewhere").resolve("sub").toString(), ok.downloadDir());
        } finally {
            daemon.close();
        }
    }

    @Test
    void eachTrackerShowsWhatItLastAnsweredOrWhyItFailed() throws Exception {
        var tracker = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
        tracker.createContext("/announce", exchange -> {
            byte[] reply = "d8:completei3e10:incompletei5e8:intervali1800e5:peers0:e"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        tracker.start();
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String good = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
        String bad = "http://127.0.0.1:" + closed + "/announce";
        Path file = content("tracked.bin", 100_000);
        Path torrent = dir.resolve("tracked.torrent");
        var run = CliRun.of("create", file.toString(), "-t", good, "-t", bad, "-o", torrent.toString());
        assertEquals(0, run.status(), run.toString());
        RunningDaemon daemon = daemon(List.of());
        try {
            String id = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent))).id();
            Instant deadline = Instant.now().plus(LIMIT);
            var trackers = daemon.trackers(id);
            while (trackers.get(0).lastAnnounce().isEmpty()) {
                assertTrue(Instant.now().isBefore(deadline), trackers.toString());
                Thread.sleep(100);
                trackers = daemon.trackers(id);
            }
            var first = trackers.get(0);
            assertEquals(good, first.url());
            assertEquals(0, first.tier());
            assertEquals(Optional.empty(), first.error());
            assertEquals(3, first.seeders());
            assertEquals(5, first.leechers());
            assertTrue(first.nextAnnounce().orElseThrow() > first.lastAnnounce().orElseThrow());
            assertEquals(bad, trackers.get(1).url());
            assertEquals(1, trackers.get(1).tier());
        } finally {
            daemon.close();
            tracker.stop(0);
        }
    }

    @Test
    void aTrackerThatCannotBeReachedSaysWhy() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String bad = "http://127.0.0.1:" + closed + "/announce";
        Path file = content("lonely.bin", 100_000);
        Path torrent = dir.resolve("lonely.torrent");
        assertEquals(0, CliRun.of("create", file.toString(), "-t", bad, "-o", torrent.toString()).status());
        RunningDaemon daemon = daemon(List.of());
        try {
            String id = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent))).id();
            Instant deadline = Instant.now().plus(LIMIT);
            var t = daemon.trackers(id).get(0);
            while (t.error().isEmpty()) {
                assertTrue(Instant.now().isBefore(deadline), t.toString());
                Thread.sleep(100);
                t = daemon.trackers(id).get(0);
            }
            assertTrue(t.lastAnnounce().isPresent());
            assertEquals(-1, t.seeders(), "no answer yet");
        } finally {
            daemon.close();
        }
    }

    @Test
    void aHighPriorityFileIsFetchedBeforeTheOthers() throws Exception {
        Path folder = dir.resolve("seed").resolve("show");
        Files.createDirectories(folder);
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[1 << 20];
            new Random(10 + i).nextBytes(data);
            Files.write(folder.resolve("episode" + i + ".bin"), data);
        }
        Path torrent = torrentOf(folder);
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").uploadLimit(1 << 20).start()) {
            seeder.seed(torrent, folder);
            RunningDaemon daemon = daemon(List.of(PeerAddress.parse("127.0.0.1:" + seeder.port())));
            try {
                String id = daemon.add(AddTorrentCommand.ofTorrent(Files.readAllBytes(torrent)).withPaused(true)).id();
                daemon.change(id, new TorrentChanges(Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), java.util.Map.of(2, FilePriority.HIGH, 0, FilePriority.LOW)));
                daemon.resume(id);
                Instant deadline = Instant.now().plus(LIMIT);
                List<FileView> files = daemon.files(id);
                while (files.get(2).verifiedBytes() < files.get(2).length()) {
                    assertTrue(Instant.now().isBefore(deadline), files.toString());
                    Thread.sleep(20);
                    files = daemon.files(id);
                }
                assertTrue(files.get(0).verifiedBytes() + files.get(1).verifiedBytes() < 2 << 20,
                        "the high file came first: " + files);
                assertEquals(List.of(FilePriority.LOW, FilePriority.NORMAL, FilePriority.HIGH),
                        files.stream().map(FileView::priority).toList());
                await(daemon, id, DaemonTest::complete);
            } finally {
                daemon.close();
            }
        }
    }
}
