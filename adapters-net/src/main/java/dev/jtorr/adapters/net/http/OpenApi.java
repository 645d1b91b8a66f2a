package dev.jtorr.adapters.net.http;

import java.io.IOException;
import java.io.InputStream;

/** Serves the API's OpenAPI 3 document, kept as a resource beside this class and checked against the routes in tests. */
final class OpenApi {
    static final String PATH = "/api/v1/openapi.json";

    private OpenApi() {
    }

    static byte[] document() throws IOException {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IOException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    static void register(Router router) {
        router.add("GET", PATH, r -> Response.json(200, document()));
    }
}
