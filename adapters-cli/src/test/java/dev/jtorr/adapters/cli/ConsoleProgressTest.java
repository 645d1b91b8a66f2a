package dev.jtorr.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.domain.swarm.TransferStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the progress of one, several and many torrents is shown: lines, a block per torrent, totals, JSON. */
class ConsoleProgressTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private ConsoleProgress progress(boolean interactive, boolean json) {
        var p = new ConsoleProgress(new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), interactive));
        p.start(json);
        return p;
    }

    private static TransferStatus status(TransferStatus.Phase phase, long verified, long total) {
        return new TransferStatus(phase, verified, total, 1000, 0, verified, 0, 2, 0, 0, Optional.empty());
    }

    private static void add(ConsoleProgress p, String id, String name, TransferStatus s) {
        p.event(new EngineEvent.Added(id, name, s));
        p.event(new EngineEvent.Progress(id, name, s));
    }

    @Test
    void severalTorrentsOnATerminalAreABlockOfOneLineEachRedrawnInPlace() throws InterruptedException {
        var p = progress(true, false);
        add(p, "aa", "a.iso", status(TransferStatus.Phase.DOWNLOADING, 10, 100));
        add(p, "bb", "b.iso", status(TransferStatus.Phase.SEEDING, 100, 100));
        Thread.sleep(250); // redrawn at most five times a second
        p.event(new EngineEvent.Progress("aa", "a.iso", status(TransferStatus.Phase.DOWNLOADING, 20, 100)));
        String shown = err.toString();
        assertTrue(shown.contains("a.iso  downloading"), shown);
        assertTrue(shown.contains("b.iso  seeding"), shown);
        assertTrue(shown.endsWith("\033[2F\033[Ka.iso  " + ConsoleProgress.describe(status(
                TransferStatus.Phase.DOWNLOADING, 20, 100)) + "\n\033[Kb.iso  " + ConsoleProgress.describe(status(
                TransferStatus.Phase.SEEDING, 100, 100)) + "\n"), "the block is redrawn in place: " + shown);
    }

    @Test
    void aNoticeAboutOneOfSeveralTorrentsNamesIt() {
        var p = progress(false, false);
        add(p, "aa", "a.iso", status(TransferStatus.Phase.DOWNLOADING, 10, 100));
        add(p, "bb", "b.iso", status(TransferStatus.Phase.DOWNLOADING, 10, 100));
        p.event(new EngineEvent.Notice("bb", "b.iso", "piece 3 failed its hash check"));
        assertTrue(err.toString().contains("b.iso: piece 3 failed its hash check"), err.toString());
    }

    @Test
    void manyTorrentsAreOneLineOfTotals() throws InterruptedException {
        var p = progress(true, false);
        for (int i = 0; i < ConsoleProgress.MAX_LINES + 3; i++) {
            add(p, "id" + i, "t" + i, status(i < 4 ? TransferStatus.Phase.DOWNLOADING : TransferStatus.Phase.SEEDING,
                    50, 100));
        }
        Thread.sleep(250); // redrawn at most five times a second
        p.event(new EngineEvent.Progress("id0", "t0", status(TransferStatus.Phase.DOWNLOADING, 50, 100)));
        String shown = err.toString();
        String last = shown.substring(shown.lastIndexOf("\033[K") + 3).trim();
        assertTrue(last.startsWith((ConsoleProgress.MAX_LINES + 3) + " torrents (4 downloading, 7 seeding)"), last);
        int n = ConsoleProgress.MAX_LINES + 3;
        assertTrue(last.contains(Sizes.format(50L * n) + " of " + Sizes.format(100L * n)), last);
        assertTrue(last.endsWith("peers " + 2 * n), last);
    }

    @Test
    void jsonProgressAndNoticesCarryTheTorrentsIdAndName() throws Exception {
        var p = progress(false, true);
        add(p, "aa", "a.iso", status(TransferStatus.Phase.DOWNLOADING, 10, 100));
        add(p, "bb", "b.iso", status(TransferStatus.Phase.DOWNLOADING, 20, 100));
        p.event(new EngineEvent.Notice("bb", "b.iso", "hello"));
        var mapper = new ObjectMapper();
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        var second = mapper.readTree(lines.get(1));
        assertEquals("progress", second.path("event").asText());
        assertEquals("bb", second.path("torrent").asText());
        assertEquals("b.iso", second.path("name").asText());
        assertEquals(20, second.path("verified_bytes").asLong());
        var notice = mapper.readTree(lines.get(2));
        assertEquals("bb", notice.path("torrent").asText());
        assertEquals("hello", notice.path("message").asText());
    }
}
