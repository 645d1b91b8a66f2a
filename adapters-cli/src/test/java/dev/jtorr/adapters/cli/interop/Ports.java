package dev.jtorr.adapters.cli.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports for test peers: each run gets its own (libtorrent remembers finished peers by port). */
final class Ports {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                // jtorr takes the next free port when one is taken, so keep a gap between the ports we hand out
                if (GIVEN.stream().noneMatch(g -> Math.abs(g - p) < 3)) {
                    GIVEN.add(p);
                    return p;
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no free port");
    }
}
