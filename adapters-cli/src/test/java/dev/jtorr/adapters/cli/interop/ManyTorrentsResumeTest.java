package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code jtorr seed} process with many torrents: checked once, then started again with every file unchanged it
 * hashes nothing; a file changed behind its back is checked again, and only that one.
 */
class ManyTorrentsResumeTest {
    private static final int TORRENTS = 40;
    private static final long PIECE = 16 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSeedOfManyTorrentsWithUnchangedFilesStartsAgainWithoutHashing() throws Exception {
        var paths = new ArrayList<String>();
        var random = new Random(5);
        Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < TORRENTS; i++) {
            Path file = dir.resolve("data").resolve("file" + i + ".bin");
            byte[] bytes = new byte[100_000 + i * 1000];
            random.nextBytes(bytes);
            Files.write(file, bytes);
            var made = CliRun.of("create", file.toString(), "--piece-size", "16KiB", "-o",
                    dir.resolve("torrents").resolve(file.getFileName() + ".torrent").toString());
            assertEquals(0, made.status(), made.toString());
            paths.add("data/" + file.getFileName());
        }

        List<JsonNode> first = seedAll(paths);
        long hashedFirst = hashedBytes(first);
        assertTrue(hashedFirst > 0, "the first start checks the data");

        List<JsonNode> second = seedAll(paths);
        assertEquals(0, hashedBytes(second), "unchanged files are not hashed again");

        Path touched = dir.resolve("data/file7.bin");
        Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() - 5000));
        List<JsonNode> third = seedAll(paths);
        long pieces = (Files.size(touched) + PIECE - 1) / PIECE;
        assertEquals(pieces * PIECE, hashedBytes(third), "only the changed file is hashed");
    }

    @Test
    void oneTorrentOfManyWhoseDataDoesNotMatchStopsTheSeedWithItsNameAndNothingKeepsRunning() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        var args = new ArrayList<>(List.of("seed"));
        for (int i = 0; i < 6; i++) {
            Path file = dir.resolve("data").resolve("f" + i + ".bin");
            Files.write(file, new byte[50_000 + i]);
            var made = CliRun.of("create", file.toString(), "--piece-size", "16KiB", "-o",
                    dir.resolve("torrents").resolve(file.getFileName() + ".torrent").toString());
            assertEquals(0, made.status(), made.toString());
            args.add("data/f" + i + ".bin");
        }
        byte[] changed = new byte[50_004]; // same size, its second piece differs
        changed[20_000] = 1;
        Files.write(dir.resolve("data/f4.bin"), changed);
        args.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "--no-trackers"));
        try (var seed = JtorrProcess.jtorr(dir, args.toArray(String[]::new))) {
            int status = seed.waitFor(TIMEOUT);
            assertEquals(2, status, seed.output());
            assertTrue(seed.output().contains("data/f4.bin does not match"), seed.output());
        }
    }

    /** Seeds every path in one process until all are seeding; returns its JSON events. */
    private List<JsonNode> seedAll(List<String> paths) throws Exception {
        var args = new ArrayList<>(List.of("seed"));
        args.addAll(paths);
        args.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "--no-trackers", "--json"));
        try (var seed = JtorrProcess.jtorr(dir, args.toArray(String[]::new))) {
            Set<String> seeding = new HashSet<>();
            seed.await(e -> {
                if (e.path("event").asText().equals("progress") && e.path("phase").asText().equals("seeding")) {
                    seeding.add(e.path("torrent").asText());
                }
                return seeding.size() == paths.size();
            }, TIMEOUT);
            seed.kill9(); // the record is saved once the check is done: no clean stop is needed to keep it
            return seed.events();
        }
    }

    /** What the checks hashed, in whole pieces, from each check's last {@code hashing} event. */
    private static long hashedBytes(List<JsonNode> events) {
        long total = 0;
        for (JsonNode e : events) {
            if (e.path("event").asText().equals("hashing") && e.path("bytes_done").asLong()
                    == e.path("bytes_total").asLong()) {
                total += e.path("bytes_total").asLong();
            }
        }
        return total;
    }
}
