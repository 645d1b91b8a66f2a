package dev.jtorr.adapters.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library API as the README shows it: the README's example compiles and downloads a torrent for real. */
class LibraryExampleTest {
    private static final Pattern EXAMPLE = Pattern.compile("<!-- library-example -->\\s*```java\\n(.*?)```",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    private Path makeTorrent(String name, int size) throws Exception {
        Path content = dir.resolve("seed").resolve(name);
        Files.createDirectories(content.getParent());
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Files.write(content, data);
        Path torrent = dir.resolve(name + ".torrent");
        var run = CliRun.of("create", content.toString(), "--piece-size", "64KiB", "-o", torrent.toString());
        assertEquals(0, run.status(), run.toString());
        return torrent;
    }

    @Test
    void theReadmesExampleCompilesAndDownloadsFromAJtorrSeed() throws Exception {
        String readme = Files.readString(readme());
        var m = EXAMPLE.matcher(readme);
        assertTrue(m.find(), "README has a java block after <!-- library-example -->");
        Path src = dir.resolve("src").resolve("Example.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, m.group(1));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        var compiler = ToolProvider.getSystemJavaCompiler();
        var errors = new ByteArrayOutputStream();
        int status = compiler.run(null, null, errors, "-d", classes.toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), src.toString());
        assertEquals(0, status, "the README's example compiles: " + errors);

        Path torrent = makeTorrent("film.bin", 3 << 20);
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start()) {
            TorrentHandle seed = seeder.seed(torrent, dir.resolve("seed/film.bin"));
            assertEquals(TorrentLifecycle.State.SEEDING, seed.state());
            var out = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            try (var loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                    getClass().getClassLoader())) {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                loader.loadClass("Example").getMethod("main", String[].class).invoke(null, (Object) new String[] {
                    torrent.toString(), dir.resolve("downloads").toString(), "127.0.0.1:" + seeder.port()});
            } finally {
                System.setOut(saved);
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("film.bin is complete"), printed);
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("seed/film.bin"), dir.resolve("downloads/film.bin")));
    }

    @Test
    void oneEngineRunsTwoTorrentsOnOnePortAndTellsTheirEvents() throws Exception {
        Path a = makeTorrent("a.bin", 1 << 20);
        Path b = makeTorrent("b.bin", 2 << 20);
        var events = new CopyOnWriteArrayList<EngineEvent>();
        try (Jtorr seeder = Jtorr.builder().bind("127.0.0.1").start();
             Jtorr leecher = Jtorr.builder().bind("127.0.0.1").maxConnections(8).start()) {
            seeder.seed(a, dir.resolve("seed/a.bin"));
            seeder.seed(b, dir.resolve("seed/b.bin"));
            assertEquals(2, seeder.torrents().size());
            leecher.subscribe(events::add);
            var peer = List.of(dev.jtorr.domain.peer.PeerAddress.parse("127.0.0.1:" + seeder.port()));
            TorrentHandle gotA = leecher.download(a, dir.resolve("downloads"), peer, false);
            TorrentHandle gotB = leecher.download(b, dir.resolve("downloads"), peer, false);
            assertTrue(gotA.awaitComplete(Duration.ofSeconds(60)));
            assertTrue(gotB.awaitComplete(Duration.ofSeconds(60)));
            gotA.awaitStopped();
            gotB.awaitStopped();
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("seed/a.bin"), dir.resolve("downloads/a.bin")));
        assertEquals(-1L, Files.mismatch(dir.resolve("seed/b.bin"), dir.resolve("downloads/b.bin")));
        for (String name : List.of("a.bin", "b.bin")) {
            assertNotNull(events.stream().filter(e -> e instanceof EngineEvent.Completed && e.name().equals(name))
                    .findFirst().orElse(null), name + " completed: " + events);
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.Stopped s && s.name().equals(name)
                    && s.failure().isEmpty()), name + " stopped cleanly");
        }
    }

    private static Path readme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("adapters-cli"))) {
                return p.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
