// A bounded load generator for BitTorrent trackers, run as a single-file program: java bench/TrackerLoad.java ...
//   hashes N                                    print the N info-hashes the load uses (hex, for allow-lists)
//   fill  udp|http HOST PORT TORRENTS PEERS     register PEERS distinct peers spread over TORRENTS torrents
//   load  udp|http HOST PORT TORRENTS SECONDS WORKERS
//                                               WORKERS closed-loop clients announce for SECONDS; prints JSON
// All addresses are the caller's (loopback); peers differ by the port they announce.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

public class TrackerLoad {
    static byte[] hash(int i) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(("jtorr-bench-" + i).getBytes(StandardCharsets.US_ASCII));
    }

    static String percent(byte[] b) {
        var sb = new StringBuilder();
        for (byte x : b) {
            sb.append('%').append(String.format("%02X", x & 0xff));
        }
        return sb.toString();
    }

    static byte[] peerId(long n) {
        return String.format("-BN0001-%012d", n).getBytes(StandardCharsets.US_ASCII);
    }

    /** One client: announces (torrent, port) pairs; returns whether the tracker answered with a peer list. */
    interface Client extends AutoCloseable {
        boolean announce(byte[] hash, int port, long n) throws Exception;
    }

    static final class Udp implements Client {
        final DatagramSocket socket = new DatagramSocket();
        final InetAddress host;
        final int port;
        long connection;
        long connectedAt;
        int tx;
        final byte[] in = new byte[2048];

        Udp(String host, int port) throws Exception {
            this.host = InetAddress.getByName(host);
            this.port = port;
            socket.setSoTimeout(1000);
        }

        ByteBuffer exchange(ByteBuffer out, int action) throws Exception {
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(new DatagramPacket(out.array(), out.limit(), host, port));
                try {
                    while (true) {
                        var p = new DatagramPacket(in, in.length);
                        socket.receive(p);
                        var r = ByteBuffer.wrap(in, 0, p.getLength());
                        if (p.getLength() >= 8 && r.getInt(4) == tx) {
                            return r.getInt(0) == action ? r : null;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // lost: send again
                }
            }
            return null;
        }

        public boolean announce(byte[] hash, int peerPort, long n) throws Exception {
            if (System.nanoTime() - connectedAt > 50_000_000_000L || connection == 0) {
                tx++;
                var r = exchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(tx).flip(), 0);
                if (r == null) {
                    return false;
                }
                connection = r.getLong(8);
                connectedAt = System.nanoTime();
            }
            tx++;
            var out = ByteBuffer.allocate(98).putLong(connection).putInt(1).putInt(tx).put(hash).put(peerId(n))
                    .putLong(0).putLong(1000).putLong(0).putInt(0).putInt(0).putInt((int) n).putInt(50)
                    .putShort((short) peerPort).flip();
            return exchange(out, 1) != null;
        }

        public void close() {
            socket.close();
        }
    }

    static final class Http implements Client {
        final String host;
        final int port;
        final byte[] buf = new byte[65536];

        Http(String host, int port) {
            this.host = host;
            this.port = port;
        }

        public boolean announce(byte[] hash, int peerPort, long n) throws Exception {
            // one connection per announce, as most clients do
            try (var s = new Socket(host, port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /announce?info_hash=" + percent(hash) + "&peer_id=" + new String(peerId(n),
                        StandardCharsets.US_ASCII) + "&port=" + peerPort + "&uploaded=0&downloaded=0&left=1000"
                        + "&compact=1&numwant=50 HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                int total = 0;
                int r;
                while ((r = in.read(buf, total, buf.length - total)) > 0) {
                    total += r;
                }
                String text = new String(buf, 0, total, StandardCharsets.ISO_8859_1);
                return text.startsWith("HTTP/1.") && text.contains(" 200 ") && text.contains("8:interval");
            }
        }

        public void close() {
        }
    }

    static Client client(String kind, String host, int port) throws Exception {
        return kind.equals("udp") ? new Udp(host, port) : new Http(host, port);
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "hashes" -> {
                for (int i = 0; i < Integer.parseInt(a[1]); i++) {
                    var sb = new StringBuilder();
                    for (byte b : hash(i)) {
                        sb.append(String.format("%02x", b & 0xff));
                    }
                    System.out.println(sb);
                }
            }
            case "fill" -> {
                int torrents = Integer.parseInt(a[4]);
                int peers = Integer.parseInt(a[5]);
                int workers = 8;
                var failed = new AtomicLong();
                var threads = new ArrayList<Thread>();
                for (int w = 0; w < workers; w++) {
                    int first = w;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try (Client c = client(a[1], a[2], Integer.parseInt(a[3]))) {
                            for (int i = first; i < peers; i += workers) {
                                if (!c.announce(hash(i % torrents), 1 + i / torrents, i)) {
                                    failed.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                System.out.println("{\"registered\":" + (peers - failed.get()) + ",\"failed\":" + failed.get() + "}");
            }
            case "load" -> {
                int torrents = Integer.parseInt(a[4]);
                long seconds = Long.parseLong(a[5]);
                int workers = Integer.parseInt(a[6]);
                var ok = new AtomicLong();
                var failed = new AtomicLong();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                var threads = new ArrayList<Thread>();
                for (int w = 0; w < workers; w++) {
                    int id = w;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try (Client c = client(a[1], a[2], Integer.parseInt(a[3]))) {
                            long n = id;
                            while (System.nanoTime() < end) {
                                // re-announces of a fixed set of peers: the registry's size stays put
                                if (c.announce(hash((int) (n % torrents)), 40000 + (int) (n % 1000), n % 1000)) {
                                    ok.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                }
                                n += workers;
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }));
                }
                long start = System.nanoTime();
                for (Thread t : threads) {
                    t.join();
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("{\"announces\":%d,\"failed\":%d,\"seconds\":%.2f,\"per_second\":%.0f}%n",
                        ok.get(), failed.get(), secs, ok.get() / secs);
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
    }
}
