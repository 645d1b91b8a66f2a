package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A magnet link (BEP 9, BEP 52, BEP 53): {@code xt=urn:btih:} (v1, 40 hex or 32 base32 characters),
 * {@code xt=urn:btmh:1220...} (v2, a SHA-256 multihash), {@code dn}, {@code tr}, {@code ws}, {@code x.pe} and
 * {@code so}. Other parameters are ignored, as BEP 9 allows.
 *
 * @param selectOnly BEP 53 {@code so}: file indices and ranges such as {@code 0,2,4-6}, kept as written
 */
public record MagnetLink(Optional<Digest> v1, Optional<Digest> v2, Optional<String> displayName,
                         List<String> trackers, List<String> webSeeds, List<String> peers, List<String> selectOnly) {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String MULTIHASH_SHA256 = "1220";
    private static final int MAX_LENGTH = 64 * 1024;

    public MagnetLink {
        if (v1.isEmpty() && v2.isEmpty()) {
            throw new MagnetException("magnet link has no info-hash (xt=urn:btih: or xt=urn:btmh:)");
        }
        trackers = List.copyOf(trackers);
        webSeeds = List.copyOf(webSeeds);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(selectOnly);
    }

    public static boolean looksLikeMagnet(String text) {
        return text.regionMatches(true, 0, "magnet:?", 0, 8);
    }

    public static MagnetLink parse(String link) {
        if (link.length() > MAX_LENGTH) {
            throw new MagnetException("magnet link longer than " + MAX_LENGTH + " characters");
        }
        if (!looksLikeMagnet(link)) {
            throw new MagnetException("not a magnet link: it must start with 'magnet:?'");
        }
        Optional<Digest> v1 = Optional.empty();
        Optional<Digest> v2 = Optional.empty();
        Optional<String> dn = Optional.empty();
        var tr = new ArrayList<String>();
        var ws = new ArrayList<String>();
        var pe = new ArrayList<String>();
        var so = new ArrayList<String>();
        for (String param : link.substring(8).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new MagnetException("magnet parameter without a value: '" + param + "'");
            }
            String key = param.substring(0, eq);
            String value = decode(param.substring(eq + 1), key);
            switch (key) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, "urn:btih:", 0, 9)) {
                        v1 = Optional.of(btih(value.substring(9)));
                    } else if (value.regionMatches(true, 0, "urn:btmh:", 0, 9)) {
                        v2 = Optional.of(btmh(value.substring(9)));
                    }
                }
                case "dn" -> dn = Optional.of(value);
                case "tr" -> tr.add(value);
                case "ws" -> ws.add(value);
                case "x.pe" -> pe.add(value);
                case "so" -> {
                    if (!value.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
                        throw new MagnetException("magnet 'so' must list file indices like 0,2,4-6: '" + value + "'");
                    }
                    so.addAll(List.of(value.split(",")));
                }
                default -> {
                    // BEP 9: unknown parameters are ignored
                }
            }
        }
        return new MagnetLink(v1, v2, dn, tr, ws, pe, so);
    }

    /** The link in a canonical form: v1 in lower-case hex, then v2, dn, tr, ws, x.pe, so. */
    public String format() {
        var sb = new StringBuilder("magnet:?");
        var params = new ArrayList<String>();
        v1.ifPresent(h -> params.add("xt=urn:btih:" + h.hex()));
        v2.ifPresent(h -> params.add("xt=urn:btmh:" + MULTIHASH_SHA256 + h.hex()));
        displayName.ifPresent(n -> params.add("dn=" + encode(n)));
        trackers.forEach(t -> params.add("tr=" + encode(t)));
        webSeeds.forEach(w -> params.add("ws=" + encode(w)));
        peers.forEach(p -> params.add("x.pe=" + encode(p)));
        if (!selectOnly.isEmpty()) {
            params.add("so=" + String.join(",", selectOnly));
        }
        return sb.append(String.join("&", params)).toString();
    }

    private static Digest btih(String hash) {
        if (hash.length() == 40 && hash.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new Digest(HexFormat.of().parseHex(hash));
        }
        if (hash.length() == 32) {
            return new Digest(base32(hash));
        }
        throw new MagnetException("urn:btih: needs 40 hex or 32 base32 characters, found '" + hash + "'");
    }

    private static Digest btmh(String multihash) {
        if (multihash.length() != 68 || !multihash.startsWith(MULTIHASH_SHA256)
                || !multihash.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new MagnetException("urn:btmh: needs a SHA-256 multihash (1220 and 64 hex characters), found '"
                    + multihash + "'");
        }
        return new Digest(HexFormat.of().parseHex(multihash.substring(4)));
    }

    private static byte[] base32(String text) {
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : text.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new MagnetException("urn:btih: has a character that is not base32: '" + c + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (buffer >> bits);
            }
        }
        return out;
    }

    private static String decode(String value, String key) {
        var bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new MagnetException("bad percent-escape in magnet parameter '" + key + "'");
                }
                bytes.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MagnetException("magnet parameter '" + key + "' is not UTF-8");
        }
    }

    private static String encode(String value) {
        var sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return sb.toString();
    }
}
