package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorr.domain.InvalidDataException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated torrents (flipped bytes, cuts, splices, digits replaced by huge numbers) either parse or fail with the
 * typed {@link InvalidDataException}: never another exception, never a hang. A seeded, bounded stand-in for
 * coverage-guided fuzzing.
 */
class MalformedTorrentTest {
    private static final int MUTANTS_PER_SEED = 3000;

    private static List<byte[]> seeds() {
        var content = TestTorrents.content("a.bin", 40_000, "e", 0, "d/b.bin", 70_000);
        return Arrays.stream(TorrentVersion.values())
                .flatMap(v -> java.util.stream.Stream.of(
                        TestTorrents.create("t", content, 32 * 1024, v, false),
                        TestTorrents.create("one", TestTorrents.content("one", 50_000), 16 * 1024, v, true)))
                .toList();
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 2 -> {
                int from = r.nextInt(b.length);
                int to = from + r.nextInt(b.length - from);
                byte[] spliced = new byte[b.length + (to - from)];
                System.arraycopy(b, 0, spliced, 0, to);
                System.arraycopy(b, from, spliced, to, b.length - from);
                b = spliced;
            }
            case 3 -> {
                // replace a run of digits (a length or an integer) with an extreme number
                String text = new String(b, StandardCharsets.ISO_8859_1);
                String[] extremes = {"9223372036854775807", "-9223372036854775808", "4294967296", "0", "-1",
                    "2147483647", "99999999999999999999"};
                int at = r.nextInt(b.length);
                while (at < b.length && !Character.isDigit(text.charAt(at))) {
                    at++;
                }
                int end = at;
                while (end < b.length && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                if (at < b.length) {
                    text = text.substring(0, at) + extremes[r.nextInt(extremes.length)] + text.substring(end);
                }
                b = text.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                int i = r.nextInt(b.length);
                b[i] = (byte) "ilde:0123456789-".charAt(r.nextInt(16));
            }
        }
        return b;
    }

    @Test
    void mutantsParseOrFailWithTheTypedError() {
        var random = new Random(20261121);
        for (byte[] seed : seeds()) {
            for (int n = 0; n < MUTANTS_PER_SEED; n++) {
                byte[] mutant = mutate(seed, random);
                try {
                    MetainfoParser.parse(mutant);
                } catch (InvalidDataException expected) {
                    // the typed error: fine
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    var error = new AssertionError("mutant " + n + " threw " + e + "\n"
                            + new String(mutant, 0, Math.min(mutant.length, 400), StandardCharsets.ISO_8859_1));
                    error.initCause(e);
                    throw error;
                }
            }
        }
    }

    @Test
    void magnetLinksParseOrFailWithTheTypedError() {
        var random = new Random(7);
        String seed = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btmh:1220"
                + "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e&dn=a%20b&tr=udp://x:1&so=1-3";
        String alphabet = "%&=:?+-,0123456789abcdefABCDEFxyz/\u00e9";
        for (int n = 0; n < 20_000; n++) {
            var sb = new StringBuilder(seed);
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(sb.length());
                if (random.nextBoolean()) {
                    sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                } else {
                    sb.delete(at, Math.min(sb.length(), at + random.nextInt(8)));
                }
            }
            try {
                MagnetLink.parse(sb.toString());
            } catch (InvalidDataException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("magnet " + sb + " threw " + e, e);
            }
        }
    }
}
