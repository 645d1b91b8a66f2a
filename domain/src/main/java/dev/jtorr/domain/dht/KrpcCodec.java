package dev.jtorr.domain.dht;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to {@link KrpcMessage} and back (BEP 5). Decoding is bounded before anything else: a datagram over
 * {@link #MAX_DATAGRAM} bytes, deeper than a KRPC message can be, or with too many values is refused, and so is any
 * field of the wrong type or size. Unknown keys are ignored, as BEP 5 asks.
 */
public final class KrpcCodec {
    /** Largest datagram read: a KRPC message fits one unfragmented packet. */
    public static final int MAX_DATAGRAM = 1500;
    static final BencodeLimits LIMITS = new BencodeLimits(MAX_DATAGRAM, 4, 400);
    static final int MAX_TRANSACTION = 16;
    static final int MAX_TOKEN = 64;
    /** Peer values accepted from one response. */
    static final int MAX_VALUES = 200;
    static final String VERSION = "JT01";

    private KrpcCodec() {
    }

    /** @throws KrpcException when the datagram is not an acceptable KRPC message */
    public static KrpcMessage decode(byte[] datagram) {
        if (datagram.length > MAX_DATAGRAM) {
            throw new KrpcException("datagram of " + datagram.length + " bytes, more than " + MAX_DATAGRAM);
        }
        BValue value;
        try {
            value = BencodeDecoder.decodeAnyKeyOrder(datagram, LIMITS);
        } catch (InvalidDataException e) {
            throw new KrpcException("not bencode: " + e.getMessage());
        }
        if (!(value instanceof BDictionary d)) {
            throw new KrpcException("a KRPC message is a dictionary");
        }
        byte[] tid = bytes(d, "t");
        if (tid.length == 0 || tid.length > MAX_TRANSACTION) {
            throw new KrpcException("transaction id of " + tid.length + " bytes");
        }
        String type = text(d, "y");
        try {
            return switch (type) {
                case "q" -> query(d, tid);
                case "r" -> response(dict(d, "r"), tid, requester(d));
                case "e" -> error(d, tid);
                default -> throw new KrpcException("unknown message type " + type);
            };
        } catch (InvalidDataException e) {
            throw e instanceof KrpcException k ? k : new KrpcException(e.getMessage());
        }
    }

    private static KrpcMessage query(BDictionary d, byte[] tid) {
        String name = text(d, "q");
        BDictionary a = dict(d, "a");
        NodeId sender = id(a, "id");
        // BEP 43 puts ro in the top-level dictionary; the arguments are read too, as jtorr used to write it there
        boolean ro = d.getInteger("ro").or(() -> a.getInteger("ro")).map(i -> i.value() == 1).orElse(false);
        KrpcMessage.Method m = KrpcMessage.Method.of(name);
        if (m == null) {
            // answered with error 204; the method is kept out of the model
            return new KrpcMessage.Query(tid, null, sender, null, null, 0, false, ro);
        }
        return switch (m) {
            case PING -> new KrpcMessage.Query(tid, m, sender, null, null, 0, false, ro);
            case FIND_NODE -> new KrpcMessage.Query(tid, m, sender, id(a, "target"), null, 0, false, ro);
            case GET_PEERS -> new KrpcMessage.Query(tid, m, sender, id(a, "info_hash"), null, 0, false, ro);
            case ANNOUNCE_PEER -> {
                boolean implied = a.getInteger("implied_port").map(i -> i.value() == 1).orElse(false);
                long port = a.getInteger("port").map(BInteger::value).orElse(implied ? 0L : -1L);
                if (!implied && (port < 1 || port > 65535)) {
                    throw new KrpcException("announce_peer without a valid port");
                }
                byte[] token = bytes(a, "token");
                if (token.length > MAX_TOKEN) {
                    throw new KrpcException("token of " + token.length + " bytes");
                }
                yield new KrpcMessage.Query(tid, m, sender, id(a, "info_hash"), token, (int) port, implied, ro);
            }
        };
    }

    /** BEP 42's top-level {@code ip}: a compact IPv4 peer; anything else (IPv6, malformed) is ignored. */
    private static PeerAddress requester(BDictionary d) {
        return d.getString("ip").filter(s -> s.length() == Compact.PEER).map(s -> Compact.peer(s.bytes(), 0))
                .orElse(null);
    }

    private static KrpcMessage response(BDictionary r, byte[] tid, PeerAddress requester) {
        NodeId sender = id(r, "id");
        List<Contact> nodes = r.getString("nodes").map(s -> Compact.nodes(s.bytes())).orElse(List.of());
        List<PeerAddress> values = new ArrayList<>();
        var list = r.get("values");
        if (list.isPresent()) {
            if (!(list.get() instanceof BList l) || l.values().size() > MAX_VALUES) {
                throw new KrpcException("values is not a list of at most " + MAX_VALUES + " peers");
            }
            for (BValue v : l.values()) {
                // IPv6 values (18 bytes, BEP 32) are skipped: this node speaks IPv4
                if (v instanceof BString s && s.length() == Compact.PEER) {
                    PeerAddress p = Compact.peer(s.bytes(), 0);
                    if (p != null) {
                        values.add(p);
                    }
                } else if (!(v instanceof BString s6 && s6.length() == 18)) {
                    throw new KrpcException("a peer value is not a compact peer");
                }
            }
        }
        byte[] token = r.getString("token").map(BString::bytes).orElse(null);
        if (token != null && token.length > MAX_TOKEN) {
            throw new KrpcException("token of " + token.length + " bytes");
        }
        return new KrpcMessage.Response(tid, sender, nodes, values, token, requester);
    }

    private static KrpcMessage error(BDictionary d, byte[] tid) {
        var e = d.getList("e").map(BList::values).orElse(List.of());
        int code = !e.isEmpty() && e.get(0) instanceof BInteger i ? (int) Math.max(0, Math.min(999, i.value())) : 201;
        String message = e.size() > 1 && e.get(1) instanceof BString s ? s.text() : "";
        return new KrpcMessage.Error(tid, code, message.length() > 200 ? message.substring(0, 200) : message);
    }

    public static byte[] encode(KrpcMessage message) {
        var top = BDictionary.builder().put("t", message.transaction()).put("v", VERSION);
        switch (message) {
            case KrpcMessage.Query q -> {
                var a = BDictionary.builder().put("id", q.sender().bytes());
                if (q.method() == KrpcMessage.Method.FIND_NODE) {
                    a.put("target", q.target().bytes());
                } else if (q.target() != null) {
                    a.put("info_hash", q.target().bytes());
                }
                if (q.method() == KrpcMessage.Method.ANNOUNCE_PEER) {
                    a.put("port", q.port()).put("token", q.token());
                    if (q.impliedPort()) {
                        a.put("implied_port", 1);
                    }
                }
                if (q.readOnly()) {
                    top.put("ro", 1);
                }
                top.put("y", "q").put("q", q.method().wire).put("a", a.build());
            }
            case KrpcMessage.Response r -> {
                var body = BDictionary.builder().put("id", r.sender().bytes());
                if (!r.nodes().isEmpty()) {
                    body.put("nodes", Compact.nodes(r.nodes()));
                }
                if (!r.values().isEmpty()) {
                    body.put("values", new BList(r.values().stream().filter(Compact::encodable)
                            .map(p -> (BValue) new BString(Compact.peer(p))).toList()));
                }
                if (r.token() != null) {
                    body.put("token", r.token());
                }
                if (r.requester() != null && Compact.encodable(r.requester())) {
                    top.put("ip", Compact.peer(r.requester()));
                }
                top.put("y", "r").put("r", body.build());
            }
            case KrpcMessage.Error e -> top.put("y", "e").put("e", BList.of(BInteger.of(e.code()),
                    BString.of(e.message())));
        }
        return BencodeEncoder.encode(top.build());
    }

    private static byte[] bytes(BDictionary d, String key) {
        return d.getString(key).map(BString::bytes).orElseThrow(() -> new KrpcException("no string " + key));
    }

    private static String text(BDictionary d, String key) {
        byte[] b = bytes(d, key);
        if (b.length > 32) {
            throw new KrpcException(key + " is too long");
        }
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static BDictionary dict(BDictionary d, String key) {
        return d.getDictionary(key).orElseThrow(() -> new KrpcException("no dictionary " + key));
    }

    private static NodeId id(BDictionary d, String key) {
        byte[] b = bytes(d, key);
        if (b.length != NodeId.LENGTH) {
            throw new KrpcException(key + " is " + b.length + " bytes, not 20");
        }
        return new NodeId(b);
    }
}
