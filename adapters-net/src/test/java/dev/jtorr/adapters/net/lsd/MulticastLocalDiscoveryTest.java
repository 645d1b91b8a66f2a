package dev.jtorr.adapters.net.lsd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/**
 * What the adapter does on the machine the tests run on, where no multicast may leave: loopback-only finds no
 * interface (a loopback interface cannot multicast outside a network namespace a test set up) and opens nothing.
 * Announces between processes are tested in a namespace: see adapters-cli's LsdNamespaceTest.
 */
class MulticastLocalDiscoveryTest {
    @Test
    void loopbackOnlyOnThisMachineStartsNoServiceAndSendsNothing() throws Exception {
        boolean loopbackMulticasts = NetworkInterface.networkInterfaces()
                .anyMatch(i -> {
                    try {
                        return i.isUp() && i.isLoopback() && i.supportsMulticast();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                });
        assumeTrue(!loopbackMulticasts, "this machine's loopback interface can multicast");
        assertTrue(new MulticastLocalDiscovery(new LsdConfig(true)).start("", 6881, (h, p) -> { }).isEmpty());
    }

    @Test
    void testsRunLoopbackOnly() {
        // set by surefire for every module (the parent pom), so that no test can multicast onto a real network
        assertTrue(LsdConfig.fromSystemProperties().loopbackOnly());
    }
}
