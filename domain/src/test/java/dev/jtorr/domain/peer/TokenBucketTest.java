package dev.jtorr.domain.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final Instant T0 = Instant.EPOCH;

    @Test
    void startsEmptyAndFillsAtTheRateUpToAQuarterSecondOfBurst() {
        var bucket = new TokenBucket(400_000);
        assertEquals(0, bucket.available(T0));
        assertEquals(40_000, bucket.available(T0.plusMillis(100)));
        bucket.take(40_000);
        assertEquals(0, bucket.available(T0.plusMillis(100)));
        assertEquals(100_000, bucket.available(T0.plusSeconds(10)), "capped at a quarter of a second");
    }

    @Test
    void aSlowRateStillAllowsOneBlock() {
        var bucket = new TokenBucket(1_000);
        bucket.available(T0);
        assertEquals(16 * 1024, bucket.available(T0.plusSeconds(60)));
    }

    @Test
    void zeroMeansUnlimited() {
        var bucket = new TokenBucket(0);
        assertFalse(bucket.limited());
        bucket.take(1L << 40);
        assertEquals(Long.MAX_VALUE, bucket.available(T0));
    }
}
