package dev.jtorr.domain.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.torrent.TorrentLifecycle.State;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TorrentLifecycleTest {
    private static final Map<String, Consumer<TorrentLifecycle>> EVENTS = Map.of(
            "awaitMetadata", TorrentLifecycle::awaitMetadata, "check", TorrentLifecycle::check,
            "checkedPartial", l -> l.checked(false), "checkedComplete", l -> l.checked(true),
            "completed", TorrentLifecycle::completed, "pause", TorrentLifecycle::pause,
            "resume", TorrentLifecycle::resume, "recheck", TorrentLifecycle::recheck, "stop", TorrentLifecycle::stop,
            "fail", l -> l.fail("disk full"));

    /** Applies the events named in {@code path} (space-separated) to a new torrent. */
    private static TorrentLifecycle after(String path) {
        var l = new TorrentLifecycle();
        if (!path.isBlank()) {
            for (String e : path.split(" ")) {
                EVENTS.get(e).accept(l);
            }
        }
        return l;
    }

    @Test
    void aDownloadChecksThenDownloadsThenSeedsThenStops() {
        assertEquals(State.ADDED, after("").state());
        assertEquals(State.CHECKING, after("check").state());
        assertEquals(State.DOWNLOADING, after("check checkedPartial").state());
        assertEquals(State.SEEDING, after("check checkedPartial completed").state());
        assertEquals(State.SEEDING, after("check checkedComplete").state(), "all data there: straight to seeding");
        assertEquals(State.STOPPED, after("check checkedPartial completed stop").state());
    }

    @Test
    void aMagnetWaitsForMetadataThenChecks() {
        assertEquals(State.WAITING_FOR_METADATA, after("awaitMetadata").state());
        assertEquals(State.CHECKING, after("awaitMetadata check").state());
        assertEquals(State.PAUSED, after("awaitMetadata pause").state());
        assertEquals(State.WAITING_FOR_METADATA, after("awaitMetadata pause resume").state());
    }

    @Test
    void pauseResumesToTheStateItLeft() {
        assertEquals(State.DOWNLOADING, after("check checkedPartial pause resume").state());
        assertEquals(State.SEEDING, after("check checkedComplete pause resume").state());
        assertFalse(after("check checkedPartial pause").isActive());
        assertTrue(after("check checkedPartial pause resume").isActive());
    }

    @Test
    void recheckFromAnErrorOrAPauseGoesBackToChecking() {
        var failed = after("check checkedPartial fail");
        assertEquals(State.ERROR, failed.state());
        assertEquals("disk full", failed.error().orElseThrow());
        failed.recheck();
        assertEquals(State.CHECKING, failed.state());
        assertTrue(failed.error().isEmpty());
        assertEquals(State.CHECKING, after("check checkedComplete pause recheck").state());
    }

    @Test
    void movesAStateDoesNotAllowAreRefused() {
        for (String bad : new String[] {"completed", "resume", "pause", "check checkedPartial checkedPartial",
            "check checkedComplete completed", "stop stop", "stop fail", "check recheck", "check checkedPartial check",
            "stop resume"}) {
            var e = assertThrows(IllegalStateException.class, () -> after(bad), bad);
            assertTrue(e.getMessage().startsWith("a torrent cannot "), e.getMessage());
        }
    }
}
