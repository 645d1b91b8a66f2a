package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's connections send without Nagle's delay: with it, each response on a kept-alive connection waited for
 * the client's delayed ACK (about 40 ms a request, bench/daemon.sh). The JDK's server has no per-server switch, only
 * the system property it reads when its first server starts, so that property is what can be checked here.
 */
class HttpApiNoDelayTest {
    @TempDir
    Path state;

    @Test
    void aStartedServerHasAskedTheJdkServerForTcpNoDelay() throws Exception {
        try (var api = HttpApiServer.start(new ApiConfig("127.0.0.1", 0, state, List.of(), false), null);
             var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                    + "/api/v1/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
        }
    }
}
