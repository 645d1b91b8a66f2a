package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The daemon's web page in a real browser (Debian's headless chromium): the list follows the daemon through the event
 * stream without reloading, and the page's buttons and forms drive the daemon. One browser for the class, a fresh
 * daemon for each test.
 */
class WebPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static HeadlessChromium chromium;

    @TempDir
    Path dir;
    private DaemonUnderTest daemon;
    private ChromeDriver browser;

    @BeforeAll
    static void startBrowser(@TempDir Path profile) {
        HeadlessChromium.require();
        chromium = HeadlessChromium.start(profile.resolve("profile"));
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = DaemonUnderTest.start(dir);
        browser = chromium.driver();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (browser != null) {
            browser.get("about:blank"); // ends the page's event stream before its daemon goes
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void thePageListsTorrentsAddedThroughTheApiBeforeAndAfterItLoaded() throws Exception {
        String before = daemon.add(SmallTorrents.single("before.bin", random(40_000, 1)), true);
        open();
        WebElement row = row(before);
        assertEquals("before.bin", row.findElement(By.cssSelector("td.name")).getText());
        assertEquals("paused", state(before));
        assertEquals("0.0%", row.findElement(By.cssSelector(".percent")).getText());
        assertEquals("39.1 KiB", row.findElement(By.cssSelector("td.size")).getText());

        markPage();
        String after = daemon.add(SmallTorrents.single("after.bin", random(20_000, 2)), true);
        assertEquals("after.bin", row(after).findElement(By.cssSelector("td.name")).getText());
        assertPageNotReloaded();
        assertNoConsoleErrors();
    }

    @Test
    void aTorrentUploadedThroughTheFileInputAppearsLiveAndCanBeAddedPaused() throws Exception {
        byte[] content = random(50_000, 3);
        Files.write(daemon.downloads().resolve("uploaded.bin"), content);
        Path file = dir.resolve("uploaded.torrent");
        Files.write(file, SmallTorrents.single("uploaded.bin", content));
        Path paused = dir.resolve("paused.torrent");
        Files.write(paused, SmallTorrents.single("paused.bin", random(30_000, 4)));
        open();
        markPage();

        upload(file, false);
        await(d -> rows() == 1);
        String id = idOf("uploaded.bin");
        assertEquals("uploaded.bin", daemon.get("api/v1/torrents/" + id).path("name").asText());
        await(d -> state(id).equals("seeding")); // its data was there: checked, then seeded
        assertEquals("100.0%", row(id).findElement(By.cssSelector(".percent")).getText());

        upload(paused, true);
        await(d -> rows() == 2);
        String pausedId = idOf("paused.bin");
        assertEquals("paused", state(pausedId));
        assertEquals("paused", daemon.get("api/v1/torrents/" + pausedId).path("state").asText());
        assertPageNotReloaded();
        assertNoConsoleErrors();
    }

    @Test
    void pauseAndResumeFromThePageChangeTheRowsState() throws Exception {
        byte[] content = random(60_000, 5);
        Files.write(daemon.downloads().resolve("seed.bin"), content);
        String id = daemon.add(SmallTorrents.single("seed.bin", content), false);
        open();
        await(d -> state(id).equals("seeding"));
        WebElement row = row(id);

        click(id, "pause");
        await(d -> state(id).equals("paused"));
        assertEquals("paused", row.findElement(By.cssSelector("td.state")).getText(), "the row is updated in place");
        assertEquals("paused", daemon.get("api/v1/torrents/" + id).path("state").asText());
        assertEquals("Resume", row(id).findElement(By.cssSelector("button[data-action=resume]")).getText());

        click(id, "resume");
        await(d -> state(id).equals("seeding"));
        assertEquals("seeding", daemon.get("api/v1/torrents/" + id).path("state").asText());
    }

    @Test
    void theDetailViewShowsTheFilesAndChangesWhichAreWanted() throws Exception {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("a.txt", random(20_000, 6));
        files.put("sub/b.bin", random(30_000, 7));
        files.put("sub/c.bin", random(10_000, 8));
        String id = daemon.add(SmallTorrents.folder("album", files), true);
        open();
        row(id).findElement(By.cssSelector("td.name")).click();

        await(d -> fileRows().size() == 3);
        assertEquals("album", browser.findElement(By.id("detail-name")).getText());
        assertEquals(List.of("album/a.txt", "album/sub/b.bin", "album/sub/c.bin"), fileRows().stream()
                .map(r -> r.findElement(By.cssSelector("td.name")).getText()).toList());
        assertTrue(fileRows().stream().allMatch(r -> r.findElement(By.cssSelector("input")).isSelected()));

        fileRows().get(1).findElement(By.cssSelector("input")).click();
        browser.findElement(By.id("files-save")).click();
        await(d -> !daemon.get("api/v1/torrents/" + id + "/files").path("files").get(1).path("wanted")
                .asBoolean());
        JsonNode saved = daemon.get("api/v1/torrents/" + id + "/files").path("files");
        assertTrue(saved.get(0).path("wanted").asBoolean() && saved.get(2).path("wanted").asBoolean(), saved.toString());

        daemon.patch("api/v1/torrents/" + id, "{\"wanted_files\":[1]}");
        await(d -> wantedBoxes().equals(List.of(false, true, false))); // live, without Refresh

        browser.findElement(By.cssSelector(".tabs button[data-tab=trackers]")).click();
        assertTrue(browser.findElement(By.id("tab-trackers")).isDisplayed());
        assertFalse(browser.findElement(By.id("tab-files")).isDisplayed());
    }

    @Test
    void removingFromThePageAsksFirstThenRemovesTheRowAndOnRequestTheData() throws Exception {
        byte[] content = random(40_000, 9);
        Path data = Files.write(daemon.downloads().resolve("gone.bin"), content);
        String id = daemon.add(SmallTorrents.single("gone.bin", content), false);
        String kept = daemon.add(SmallTorrents.single("kept.bin", random(10_000, 10)), true);
        open();
        await(d -> state(id).equals("seeding"));

        click(id, "remove");
        awaitDialog();
        browser.findElement(By.id("remove-cancel")).click();
        await(d -> !browser.findElement(By.id("remove-dialog")).isDisplayed());
        assertEquals(200, daemon.status("api/v1/torrents/" + id), "cancel keeps the torrent");

        click(id, "remove");
        awaitDialog();
        browser.findElement(By.id("remove-delete-data")).click();
        browser.findElement(By.id("remove-confirm")).click();
        await(d -> browser.findElements(By.cssSelector(rowSelector(id))).isEmpty());
        assertEquals(404, daemon.status("api/v1/torrents/" + id));
        await(d -> !Files.exists(data));
        row(kept);
        assertEquals(1, rows());
    }

    @Test
    void aMagnetIsAddedAndAnErrorFromTheDaemonIsShownToTheUser() throws Exception {
        open();
        browser.findElement(By.id("add-magnet")).sendKeys("magnet:?xt=urn:btih:not-a-hash");
        browser.findElement(By.id("add-button")).click();
        WebElement message = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.id("message")));
        assertFalse(message.getText().isBlank());
        assertFalse(message.getText().startsWith("400"), "the daemon's own message: " + message.getText());
        assertEquals(0, daemon.get("api/v1/torrents").path("total").asInt());

        String hash = "0123456789abcdef0123456789abcdef01234567";
        browser.findElement(By.id("add-magnet")).clear();
        browser.findElement(By.id("add-magnet")).sendKeys("magnet:?xt=urn:btih:" + hash + "&dn=by-magnet");
        browser.findElement(By.id("add-button")).click();
        assertEquals("by-magnet", row(hash).findElement(By.cssSelector("td.name")).getText());
        assertEquals("", browser.findElement(By.id("add-magnet")).getAttribute("value"), "the form is cleared");
    }

    @Test
    void aThousandTorrentsAllGetTheirRowAndAChangeToOneReachesIt() throws Exception {
        int count = 1000;
        open();
        List<String> ids = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var added = new ArrayList<Future<String>>();
            for (int i = 0; i < count; i++) {
                byte[] torrent = SmallTorrents.single("t" + i + ".bin", random(1_000 + i, 100 + i));
                added.add(pool.submit(() -> daemon.add(torrent, true)));
            }
            for (Future<String> f : added) {
                ids.add(f.get());
            }
        }
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> rows() == count);
        @SuppressWarnings("unchecked")
        var shown = new HashSet<>((List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#torrent-rows tr')].map(r => r.dataset.id)"));
        assertEquals(Set.copyOf(ids), shown);

        String one = ids.get(count / 2);
        assertEquals("paused", state(one));
        daemon.post("api/v1/torrents/" + one + "/resume");
        await(d -> !state(one).equals("paused"));
        assertEquals(count, rows());
    }

    // ---- the page ----

    private void open() {
        browser.manage().logs().get(LogType.BROWSER); // drops what earlier tests logged
        browser.get(daemon.url());
        await(d -> browser.findElement(By.id("connection")).getText().equals("live"));
    }

    private void upload(Path torrent, boolean paused) {
        browser.findElement(By.id("add-file")).sendKeys(torrent.toString());
        WebElement box = browser.findElement(By.id("add-paused"));
        if (box.isSelected() != paused) {
            box.click();
        }
        browser.findElement(By.id("add-button")).click();
    }

    private static String rowSelector(String id) {
        return "#torrent-rows tr[data-id='" + id + "']";
    }

    private WebElement row(String id) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(rowSelector(id))));
    }

    private String state(String id) {
        return (String) browser.executeScript("const r = document.querySelector(arguments[0]); "
                + "return r ? r.querySelector('td.state').textContent : '';", rowSelector(id));
    }

    private long rows() {
        return (Long) browser.executeScript("return document.querySelectorAll('#torrent-rows tr').length");
    }

    private String idOf(String name) {
        return (String) browser.executeScript("return [...document.querySelectorAll('#torrent-rows tr')]"
                + ".find(r => r.querySelector('td.name').textContent === arguments[0]).dataset.id", name);
    }

    private List<WebElement> fileRows() {
        return browser.findElements(By.cssSelector("#file-rows tr"));
    }

    private List<Boolean> wantedBoxes() {
        return fileRows().stream().map(r -> r.findElement(By.cssSelector("input")).isSelected()).toList();
    }

    private void click(String id, String action) {
        row(id).findElement(By.cssSelector("button[data-action=" + action + "]")).click();
    }

    private void awaitDialog() {
        await(d -> browser.findElement(By.id("remove-dialog")).isDisplayed());
    }

    /** A mark on the page's window: gone if the page reloads. */
    private void markPage() {
        browser.executeScript("window.testMark = 'still here'");
    }

    private void assertPageNotReloaded() {
        assertEquals("still here", browser.executeScript("return window.testMark"), "the page reloaded");
    }

    /** CSP violations, failed script or failed requests show up in the browser's console as SEVERE. */
    private void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors);
    }

    private interface Condition {
        boolean holds(WebDriver driver) throws Exception;
    }

    private void await(Condition condition) {
        new WebDriverWait(browser, WAIT).withMessage(this::situation).until(d -> {
            try {
                return condition.holds(d);
            } catch (IOException e) {
                return false;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** What the page and the daemon show, for a failed wait's message. */
    private String situation() {
        String page = String.valueOf(browser.executeScript("return [...document.querySelectorAll('#torrent-rows tr')]"
                + ".slice(0, 5).map(r => r.dataset.id.substring(0, 8) + ' ' + r.querySelector('td.state').textContent)"
                + ".join(', ') + ' | message: ' + document.getElementById('message').textContent"
                + " + ' | connection: ' + document.getElementById('connection').textContent"));
        String api;
        try {
            api = daemon.get("api/v1/torrents?fields=state&limit=5").toString();
        } catch (IOException | AssertionError e) {
            api = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            api = "interrupted";
        }
        return "page: " + page + "\ndaemon: " + api;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
