package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local service discovery (BEP 14) between two machines on one local network: {@code jtorr seed} and
 * {@code jtorr download} in two namespaces of the test's own joined by a veth pair ({@link Netns#lan()}), with no
 * tracker, no {@code --peer} and the DHT off, so the download can only have found the seeder through the multicast
 * announces that crossed the pair. Local discovery runs there on the namespace's own interfaces (no loopback-only
 * restriction: a process in these namespaces sees none of the host's interfaces, which is checked before it starts).
 */
class LsdLanTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void jtorrDownloadsFromASeederOnAnotherMachineOfTheLocalNetworkOverIpv4() throws Exception {
        Path content = SwarmInteropTest.content(dir, true, 400_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "32KiB");
        Path out = dir.resolve("out");
        try (var lan = Netns.lan()) {
            assertEquals(Set.of("lo", Netns.LAN_INTERFACE), lan.a().interfaces());
            assertEquals(Set.of("lo", Netns.LAN_INTERFACE), lan.b().interfaces());
            try (var seed = SwarmInteropTest.awaitSeeding(JtorrProcess.jtorrOnLan(lan.a(), dir, "seed",
                    content.toString(), "--torrent", torrent.toString(), "--port", String.valueOf(Ports.free()),
                    "--bind", Netns.Lan.A_ADDRESS, "--json", "--lsd", "--no-dht"));
                 var download = JtorrProcess.jtorrOnLan(lan.b(), dir, "download", torrent.toString(), "-o",
                         out.toString(), "--port", String.valueOf(Ports.free()), "--bind", Netns.Lan.B_ADDRESS,
                         "--json", "--lsd", "--no-dht", "--no-trackers")) {
                assertEquals(0, download.waitFor(TIMEOUT), download.output());
                // the seeder exists only in the other namespace: the download reached it across the pair
                assertTrue(download.awaitEvent("finished", TIMEOUT).path("complete").asBoolean(), download.output());
            }
        }
        SwarmInteropTest.assertSameTree(content, out.resolve(content.getFileName()));
    }

    /**
     * The same over IPv6 ([ff15::efc0:988f]:6771): the pair has no IPv4 address, so the IPv4 group reaches no
     * further than each namespace's loopback; both listen on every address of their namespace.
     */
    @Test
    void jtorrDownloadsFromASeederOnAnotherMachineOfTheLocalNetworkOverIpv6() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 300_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "32KiB");
        Path out = dir.resolve("out6");
        try (var lan = Netns.lanIpv6Only()) {
            try (var seed = SwarmInteropTest.awaitSeeding(JtorrProcess.jtorrOnLan(lan.a(), dir, "seed",
                    content.toString(), "--torrent", torrent.toString(), "--port", String.valueOf(Ports.free()),
                    "--json", "--lsd", "--no-dht"));
                 var download = JtorrProcess.jtorrOnLan(lan.b(), dir, "download", torrent.toString(), "-o",
                         out.toString(), "--port", String.valueOf(Ports.free()), "--json", "--lsd", "--no-dht",
                         "--no-trackers")) {
                assertEquals(0, download.waitFor(TIMEOUT), download.output());
                assertTrue(download.awaitEvent("finished", TIMEOUT).path("complete").asBoolean(), download.output());
            }
        }
        assertEquals(-1L, java.nio.file.Files.mismatch(content, out.resolve(content.getFileName())));
    }
}
