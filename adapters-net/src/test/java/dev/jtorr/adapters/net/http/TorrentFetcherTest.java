package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fetching a .torrent by URL: an API reached from other machines fetches nothing from this machine's own network and
 * follows no redirect (no way in for its clients); one bound to loopback fetches from anywhere.
 */
class TorrentFetcherTest {
    private static final byte[] TORRENT = "d4:infod4:name1:xee".getBytes(StandardCharsets.US_ASCII);
    private final AtomicInteger served = new AtomicInteger();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/t.torrent", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, TORRENT.length);
            exchange.getResponseBody().write(TORRENT);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            served.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "/t.torrent");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anApiOnLoopbackFetchesFromThisMachineAndFollowsRedirects() throws Exception {
        var fetcher = new TorrentFetcher(true);
        assertArrayEquals(TORRENT, fetcher.fetch(base + "/t.torrent"));
        assertArrayEquals(TORRENT, fetcher.fetch(base + "/moved"));
    }

    @Test
    void anExposedApiRefusesThisMachinesOwnNetworkWithoutConnecting() {
        var fetcher = new TorrentFetcher(false);
        for (String url : new String[] {base + "/t.torrent", "http://localhost:1/t.torrent", "http://10.1.2.3/x",
            "http://192.168.0.1/x", "http://169.254.169.254/latest/meta-data", "http://[::1]:1/x",
            "http://[fd00::1]/x", "http://0.0.0.0/x"}) {
            var e = assertThrows(ApiException.class, () -> fetcher.fetch(url), url);
            assertEquals(403, e.status(), url);
            assertTrue(e.getMessage().contains("does not fetch from its own network"), e.getMessage());
        }
        assertEquals(0, served.get(), "nothing was fetched");
    }

    @Test
    void localAddressesAreToldApartFromPublicOnes() throws Exception {
        assertTrue(TorrentFetcher.isLocal(InetAddress.getByName("172.16.5.4")));
        assertTrue(TorrentFetcher.isLocal(InetAddress.getByName("fe80::1")));
        assertFalse(TorrentFetcher.isLocal(InetAddress.getByName("93.184.216.34")));
        assertFalse(TorrentFetcher.isLocal(InetAddress.getByName("2001:db8::1")));
    }
}
