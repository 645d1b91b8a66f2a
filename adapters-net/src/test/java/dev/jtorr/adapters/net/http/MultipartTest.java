package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The multipart form parser: what browsers and curl send is read; anything malformed is a 400, nothing else. */
class MultipartTest {
    private static final String B = "----form-boundary-7";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] form(String... parts) {
        var out = new StringBuilder();
        for (String p : parts) {
            out.append("--").append(B).append("\r\n").append(p).append("\r\n");
        }
        return bytes(out.append("--").append(B).append("--\r\n").toString());
    }

    private static void assertBadRequest(Runnable parse) {
        ApiException e = assertThrows(ApiException.class, parse::run);
        assertEquals(400, e.status(), e.getMessage());
    }

    @Test
    void readsFieldsAndFilesWithTheirBytes() {
        byte[] body = form("Content-Disposition: form-data; name=\"torrent\"; filename=\"a.torrent\"\r\n"
                        + "Content-Type: application/x-bittorrent\r\n\r\nd4:info\r\n--not-the-boundary\r\ne",
                "Content-Disposition: form-data; name=paused\r\n\r\ntrue");
        List<Multipart.Part> parts = Multipart.parse(body, B);
        assertEquals(2, parts.size());
        assertEquals("torrent", parts.get(0).name());
        assertEquals(Optional.of("a.torrent"), parts.get(0).fileName());
        assertArrayEquals(bytes("d4:info\r\n--not-the-boundary\r\ne"), parts.get(0).bytes());
        assertEquals("paused", parts.get(1).name());
        assertEquals("true", parts.get(1).text());
        assertEquals(List.of(), Multipart.parse(bytes("--" + B + "--\r\n"), B));
    }

    @Test
    void findsTheBoundaryInTheContentType() {
        assertEquals(Optional.of(B), Multipart.boundary("multipart/form-data; boundary=" + B));
        assertEquals(Optional.of("a b"), Multipart.boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b\""));
        assertEquals(Optional.empty(), Multipart.boundary("application/json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data;", "multipart/form-data; charset=utf-8",
            "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789x"})
    void aContentTypeWithoutAUsableBoundaryIsABadRequest(String contentType) {
        assertBadRequest(() -> Multipart.boundary(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "no boundary at all",
        "--" + B,
        "--" + B + "\r\n",
        "--" + B + "garbage\r\n\r\n",
        "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n",
        "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated value",
        "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--" + B,
        "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--" + B + "\r\n",
        "--" + B + "\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n--" + B + "--",
        "--" + B + "\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--" + B + "--",
        "--" + B + "\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--" + B + "--",
    })
    void aMalformedBodyIsABadRequest(String body) {
        assertBadRequest(() -> Multipart.parse(bytes(body), B));
    }

    @Test
    void tooManyPartsIsABadRequest() {
        String[] parts = new String[33];
        java.util.Arrays.fill(parts, "Content-Disposition: form-data; name=\"f\"\r\n\r\nx");
        assertEquals(32, Multipart.parse(form(java.util.Arrays.copyOf(parts, 32)), B).size());
        assertBadRequest(() -> Multipart.parse(form(parts), B));
    }

    @Test
    void anyCorruptionOfAFormIsReadOrRefusedWith400() {
        byte[] valid = form("Content-Disposition: form-data; name=\"torrent\"; filename=\"a.torrent\"\r\n\r\nd1:ai1ee",
                "Content-Disposition: form-data; name=\"magnet\"\r\n\r\nmagnet:?xt=urn:btih:00");
        var random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] body = mutate(valid, random);
            try {
                Multipart.parse(body, B);
            } catch (ApiException e) {
                assertEquals(400, e.status(), e.getMessage());
            }
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        var out = new ByteArrayOutputStream();
        int cut = random.nextInt(valid.length + 1);
        switch (random.nextInt(4)) {
            case 0 -> out.write(valid, 0, cut); // truncated
            case 1 -> { // a byte changed
                byte[] copy = valid.clone();
                String likely = "\r\n-\";=:ab";
                copy[random.nextInt(copy.length)] = (byte) likely.charAt(random.nextInt(likely.length()));
                out.writeBytes(copy);
            }
            case 2 -> { // a span removed
                out.write(valid, 0, cut);
                int resume = Math.min(valid.length, cut + random.nextInt(20));
                out.write(valid, resume, valid.length - resume);
            }
            default -> { // a span repeated
                int from = random.nextInt(valid.length);
                out.write(valid, 0, cut);
                out.write(valid, from, Math.min(valid.length - from, 30));
                out.write(valid, cut, valid.length - cut);
            }
        }
        return out.toByteArray();
    }
}
