package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request bodies: capped, and large ones held in memory a few at a time, not one per client. */
class RequestBodyTest {
    private static Request request(byte[] body, Semaphore large) {
        return new Request("POST", "/api/v1/torrents", null, Map.of("Content-Length",
                List.of(Integer.toString(body.length))), new ByteArrayInputStream(body),
                InetAddress.getLoopbackAddress(), large);
    }

    @Test
    void aLargeBodyWaitsWhileTheOthersHoldEveryPermitAndGoesOnOnceOneIsGivenBack() throws Exception {
        var permits = new Semaphore(1);
        Request first = request(new byte[] {1, 2, 3}, permits);
        assertArrayEquals(new byte[] {1, 2, 3}, first.body(ApiConfig.MAX_BODY));
        assertEquals(0, permits.availablePermits());

        Request second = request(new byte[] {4}, permits);
        var read = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                second.body(ApiConfig.MAX_BODY);
                read.countDown();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(read.await(200, TimeUnit.MILLISECONDS), "no permit: the second upload waits");
        first.release();
        assertTrue(read.await(10, TimeUnit.SECONDS), "the permit given back lets it go on");
        second.release();
        assertEquals(1, permits.availablePermits());
        first.release(); // twice: nothing more given back
        assertEquals(1, permits.availablePermits());
    }

    @Test
    void aJsonBodyNeedsNoPermitAndABodyOverItsCapIsRefused() throws Exception {
        var none = new Semaphore(0);
        assertArrayEquals(new byte[] {7}, request(new byte[] {7}, none).body(ApiConfig.MAX_JSON));
        var e = assertThrows(ApiException.class, () -> request(new byte[10], none).body(5));
        assertEquals(413, e.status());
    }
}
