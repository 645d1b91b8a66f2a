package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP tracker protocol's bytes, both sides: announce and scrape query strings (BEP 3, BEP 48) and the bencoded
 * bodies (BEP 3, compact peers BEP 23, {@code peers6} BEP 7). Every value read from the other side is checked.
 */
final class HttpTrackerCodec {
    /** Longest response body a client reads. */
    static final int MAX_BODY = 1 << 20;
    static final BencodeLimits LIMITS = new BencodeLimits(MAX_BODY, 8, 50_000);
    private static final int MAX_TEXT = 1024;
    private static final int MAX_PEERS = 5_000;

    private HttpTrackerCodec() {
    }

    // ---- client side ----------------------------------------------------------------------------------------

    static String announceUrl(String base, AnnounceRequest r) {
        var q = new StringBuilder(base).append(base.indexOf('?') >= 0 ? '&' : '?');
        q.append("info_hash=").append(percent(r.infoHash().bytes()));
        q.append("&peer_id=").append(percent(r.peerId().bytes()));
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&corrupt=0&compact=1&no_peer_id=1");
        if (r.numWant() >= 0) {
            q.append("&numwant=").append(r.numWant());
        }
        q.append("&key=").append(String.format("%08x", r.key()));
        if (r.event() != AnnounceEvent.NONE) {
            q.append("&event=").append(r.event().wireName());
        }
        r.trackerId().ifPresent(id -> q.append("&trackerid=").append(percent(id.getBytes(StandardCharsets.UTF_8))));
        return q.toString();
    }

    /** BEP 48: the scrape URL replaces {@code announce} at the start of the last path segment; else there is none. */
    static Optional<String> scrapeUrl(String announce) {
        int query = announce.indexOf('?');
        String path = query < 0 ? announce : announce.substring(0, query);
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith("announce", slash + 1)) {
            return Optional.empty();
        }
        return Optional.of(path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + "announce".length())
                + (query < 0 ? "" : announce.substring(query)));
    }

    static String scrapeQuery(String scrapeUrl, List<Digest> hashes) {
        var q = new StringBuilder(scrapeUrl);
        char sep = scrapeUrl.indexOf('?') >= 0 ? '&' : '?';
        for (Digest h : hashes) {
            q.append(sep).append("info_hash=").append(percent(h.bytes()));
            sep = '&';
        }
        return q.toString();
    }

    /** Percent-encodes every byte except RFC 3986's unreserved characters. */
    static String percent(byte[] bytes) {
        var sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    static AnnounceReply parseAnnounce(String url, byte[] body) {
        BDictionary d = dictionary(url, body);
        refusal(url, d);
        try {
            long interval = integer(d, "interval").orElseThrow(() -> bad(url, "no interval"));
            if (interval < 0) {
                throw bad(url, "negative interval");
            }
            Optional<Duration> min = integer(d, "min interval").filter(v -> v >= 0).map(Duration::ofSeconds);
            var peers = new ArrayList<PeerAddress>();
            Optional<BValue> list = d.get("peers");
            if (list.isPresent() && list.get() instanceof BString compact) {
                Endpoint.parseCompact(compact.bytes(), Endpoint.COMPACT_V4).forEach(e -> peers.add(e.toPeerAddress()));
            } else if (list.isPresent() && list.get() instanceof BList dicts) {
                for (BValue v : dicts.values()) {
                    dictionaryPeer(v).ifPresent(peers::add);
                }
            } else if (list.isPresent()) {
                throw bad(url, "peers is neither a string nor a list");
            }
            Optional<BString> six = d.getString("peers6");
            if (six.isPresent()) {
                Endpoint.parseCompact(six.get().bytes(), Endpoint.COMPACT_V6).forEach(e -> peers.add(e.toPeerAddress()));
            }
            if (peers.size() > MAX_PEERS) {
                throw bad(url, peers.size() + " peers in one reply");
            }
            return new AnnounceReply(Duration.ofSeconds(Math.min(interval, 86_400)), min, text(d, "tracker id"),
                    count(d, "complete"), count(d, "incomplete"), peers, text(d, "warning message"));
        } catch (InvalidDataException e) {
            throw bad(url, e.getMessage());
        }
    }

    private static Optional<PeerAddress> dictionaryPeer(BValue v) {
        if (!(v instanceof BDictionary p)) {
            return Optional.empty();
        }
        Optional<String> ip = p.getString("ip").filter(s -> s.length() <= 255).map(BString::text)
                .filter(s -> !s.isBlank() && s.chars().allMatch(c -> c > ' ' && c < 127));
        Optional<Long> port = p.getInteger("port").map(BInteger::value).filter(n -> n > 0 && n < 65536);
        return ip.isPresent() && port.isPresent()
                ? Optional.of(new PeerAddress(ip.get(), (int) (long) port.get())) : Optional.empty();
    }

    static Map<Digest, ScrapeStats> parseScrape(String url, byte[] body) {
        BDictionary d = dictionary(url, body);
        refusal(url, d);
        BDictionary files = d.getDictionary("files").orElseThrow(() -> bad(url, "scrape reply without files"));
        var out = new LinkedHashMap<Digest, ScrapeStats>();
        files.entries().forEach((k, v) -> {
            if (k.length() == 20 && v instanceof BDictionary f) {
                out.put(new Digest(k.bytes()), new ScrapeStats(Math.max(0, count(f, "complete")),
                        Math.max(0, count(f, "downloaded")), Math.max(0, count(f, "incomplete"))));
            }
        });
        return out;
    }

    private static BDictionary dictionary(String url, byte[] body) {
        BValue v;
        try {
            v = BencodeDecoder.decodeAnyKeyOrder(body, LIMITS);
        } catch (InvalidDataException e) {
            throw bad(url, "not bencode: " + e.getMessage());
        }
        if (!(v instanceof BDictionary d)) {
            throw bad(url, "reply is not a dictionary");
        }
        return d;
    }

    /** The {@code failure reason} of a body, when it is a bencoded dictionary that has one. */
    static Optional<String> failureReason(byte[] body) {
        try {
            return BencodeDecoder.decodeAnyKeyOrder(body, LIMITS) instanceof BDictionary d
                    ? text(d, "failure reason") : Optional.empty();
        } catch (InvalidDataException e) {
            return Optional.empty();
        }
    }

    private static void refusal(String url, BDictionary d) {
        Optional<String> failure = text(d, "failure reason");
        if (failure.isPresent()) {
            throw new TrackerException("tracker " + url + " refused: " + failure.get());
        }
    }

    private static Optional<Long> integer(BDictionary d, String key) {
        return d.getInteger(key).map(BInteger::value);
    }

    private static int count(BDictionary d, String key) {
        return integer(d, key).filter(v -> v >= 0).map(v -> (int) Math.min(v, Integer.MAX_VALUE)).orElse(-1);
    }

    /** A short printable text, control characters removed (it may be shown on a terminal). */
    private static Optional<String> text(BDictionary d, String key) {
        return d.getString(key).map(s -> {
            String t = s.text().replaceAll("\\p{Cntrl}", " ").strip();
            return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "..." : t;
        });
    }

    private static TrackerException bad(String url, String what) {
        return new TrackerException("tracker " + url + " sent a bad reply: " + what);
    }

    // ---- server side ----------------------------------------------------------------------------------------

    /** Query parameters, percent-decoded to bytes; repeated names keep every value in order. */
    static Map<String, List<byte[]>> parseQuery(String rawQuery) {
        var out = new LinkedHashMap<String, List<byte[]>>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
            byte[] value = eq < 0 ? new byte[0] : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static byte[] decode(String s) {
        var out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new InvalidDataException("truncated percent escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidDataException("bad percent escape");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 128) {
                out.write(c);
            } else {
                throw new InvalidDataException("non-ASCII character in the query");
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads an announce query.
     *
     * @throws InvalidDataException with a failure reason to send back when a parameter is missing or invalid
     */
    static AnnounceRequest announceRequest(Map<String, List<byte[]>> q) {
        byte[] hash = single(q, "info_hash").orElseThrow(() -> new InvalidDataException("missing info_hash"));
        if (hash.length != 20) {
            throw new InvalidDataException("info_hash must be 20 bytes");
        }
        byte[] id = single(q, "peer_id").orElseThrow(() -> new InvalidDataException("missing peer_id"));
        if (id.length != 20) {
            throw new InvalidDataException("peer_id must be 20 bytes");
        }
        long port = number(q, "port", -1);
        if (port < 1 || port > 65535) {
            throw new InvalidDataException("missing or invalid port");
        }
        long numWant = number(q, "numwant", -1);
        return new AnnounceRequest(new Digest(hash), new PeerId(id), (int) port, number(q, "uploaded", 0),
                number(q, "downloaded", 0), number(q, "left", 0),
                AnnounceEvent.fromWireName(single(q, "event").map(b -> new String(b, StandardCharsets.US_ASCII))
                        .orElse("")), (int) Math.min(numWant, 10_000), 0, Optional.empty());
    }

    private static Optional<byte[]> single(Map<String, List<byte[]>> q, String name) {
        List<byte[]> v = q.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static long number(Map<String, List<byte[]>> q, String name, long absent) {
        Optional<byte[]> v = single(q, name);
        if (v.isEmpty()) {
            return absent;
        }
        String s = new String(v.get(), StandardCharsets.US_ASCII);
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidDataException("invalid " + name);
        }
        return Long.parseLong(s);
    }

    static List<Digest> scrapeHashes(Map<String, List<byte[]>> q, int max) {
        List<byte[]> values = q.getOrDefault("info_hash", List.of());
        if (values.size() > max) {
            throw new InvalidDataException("at most " + max + " info_hash values per scrape");
        }
        var out = new ArrayList<Digest>();
        for (byte[] v : values) {
            if (v.length != 20) {
                throw new InvalidDataException("info_hash must be 20 bytes");
            }
            out.add(new Digest(v));
        }
        return out;
    }

    /** A reply: compact lists unless {@code compact=0} was asked for, then the dictionary form (no peer ids). */
    static byte[] announceBody(TrackerTransport.Answer a, boolean compact) {
        var sel = a.selection();
        var b = BDictionary.builder()
                .put("complete", sel.complete())
                .put("incomplete", sel.incomplete())
                .put("interval", a.interval().toSeconds())
                .put("min interval", a.minInterval().toSeconds());
        List<Endpoint> v4 = sel.peers().stream().filter(Endpoint::isV4).toList();
        List<Endpoint> v6 = sel.peers().stream().filter(e -> !e.isV4()).toList();
        if (compact) {
            b.put("peers", packed(v4, Endpoint.COMPACT_V4));
            b.put("peers6", packed(v6, Endpoint.COMPACT_V6));
        } else {
            var list = new ArrayList<BValue>();
            for (Endpoint e : sel.peers()) {
                list.add(BDictionary.builder().put("ip", e.host()).put("port", e.port()).build());
            }
            b.put("peers", new BList(list));
        }
        return BencodeEncoder.encode(b.build());
    }

    private static byte[] packed(List<Endpoint> peers, int size) {
        byte[] out = new byte[peers.size() * size];
        int off = 0;
        for (Endpoint e : peers) {
            off = e.writeCompact(out, off);
        }
        return out;
    }

    static byte[] scrapeBody(Map<Digest, ScrapeStats> stats) {
        var files = BDictionary.builder();
        stats.forEach((h, s) -> files.put(new BString(h.bytes()), BDictionary.builder()
                .put("complete", s.complete()).put("downloaded", s.downloaded()).put("incomplete", s.incomplete())
                .build()));
        return BencodeEncoder.encode(BDictionary.builder().put("files", files.build()).build());
    }

    static byte[] failureBody(String reason) {
        return BencodeEncoder.encode(BDictionary.builder().put("failure reason", reason).build());
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
