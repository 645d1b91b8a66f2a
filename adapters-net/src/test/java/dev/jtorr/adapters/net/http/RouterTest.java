package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing by method and path template. */
class RouterTest {
    private final Router router = new Router()
            .add("GET", "/api/v1/torrents/{id}", r -> Response.text(200, "get " + r.param("id")))
            .add("DELETE", "/api/v1/torrents/{id}", r -> Response.text(204, "delete"))
            .add("HEAD", "/files/{n}", r -> Response.text(200, "head " + r.param("n")))
            .add("GET", "/files/{n}", r -> Response.text(200, "get file"))
            .add("POST", "/login", r -> Response.text(204, "login"));

    private static Request request(String method, String path) {
        return new Request(method, path, null, Map.of(), new ByteArrayInputStream(new byte[0]),
                InetAddress.getLoopbackAddress());
    }

    private String answer(String method, String path) throws Exception {
        Request r = request(method, path);
        return new String(router.find(r).handle(r).body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aRequestReachesItsRouteWithThePathsPartsAndATrailingSlashNamesTheSameResource() throws Exception {
        assertEquals("get abc", answer("GET", "/api/v1/torrents/abc"));
        assertEquals("get abc", answer("GET", "/api/v1/torrents/abc/"));
        assertEquals("delete", answer("DELETE", "/api/v1/torrents/abc"));
    }

    @Test
    void aHeadWithoutARouteOfItsOwnIsItsGetAndOneWithARouteTakesIt() throws Exception {
        assertEquals("get abc", answer("HEAD", "/api/v1/torrents/abc"));
        assertEquals("head 3", answer("HEAD", "/files/3"));
    }

    @Test
    void anUnknownPathIs404AndAnotherMethodIs405() {
        assertEquals(404, assertThrows(ApiException.class, () -> answer("GET", "/api/v1/nothing")).status());
        assertEquals(404, assertThrows(ApiException.class, () -> answer("GET", "/api/v1/torrents/")).status());
        var e = assertThrows(ApiException.class, () -> answer("PUT", "/api/v1/torrents/abc"));
        assertEquals(405, e.status());
        assertEquals("PUT is not allowed on /api/v1/torrents/abc (allowed: GET, DELETE)", e.getMessage());
        assertEquals(405, assertThrows(ApiException.class, () -> answer("HEAD", "/login")).status());
    }
}
