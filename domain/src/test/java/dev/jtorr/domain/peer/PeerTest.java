package dev.jtorr.domain.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerTest {
    @Test
    void parsesPeerAddresses() {
        assertEquals(new PeerAddress("127.0.0.1", 6881), PeerAddress.parse("127.0.0.1:6881"));
        assertEquals(new PeerAddress("::1", 51413), PeerAddress.parse("[::1]:51413"));
        assertEquals("[::1]:51413", PeerAddress.parse("[::1]:51413").toString());
        for (String bad : new String[] {"localhost", ":80", "host:", "host:0", "host:70000", "host:x"}) {
            assertThrows(InvalidDataException.class, () -> PeerAddress.parse(bad), bad);
        }
    }

    @Test
    void peerIdsFollowTheAzureusConvention() {
        PeerId id = PeerId.generate(new SplittableRandom(3));
        String text = new String(id.bytes(), StandardCharsets.US_ASCII);
        assertTrue(text.matches("-JT0100-[0-9a-zA-Z]{12}"), text);
        assertEquals("JT0100", id.client());
        assertTrue(!id.equals(PeerId.generate(new SplittableRandom(4))));
    }

    @Test
    void rateMeterAveragesOverRecentWholeSeconds() {
        var m = new RateMeter();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int s = 0; s < 10; s++) {
            m.add(1000, t.plusSeconds(s));
            m.add(1000, t.plusSeconds(s).plusMillis(500));
        }
        assertEquals(2000, m.rate(t.plusSeconds(10)));
        assertEquals(20_000, m.total());
        assertEquals(0, m.rate(t.plusSeconds(30)), "an idle peer's rate decays to zero");
    }

    @Test
    void pipelineDepthCoversTheBandwidthDelayProduct() {
        assertEquals(RequestPipeline.MIN, RequestPipeline.depth(0, 256));
        assertEquals(123, RequestPipeline.depth(1_000_000, 256));
        assertEquals(RequestPipeline.MIN, RequestPipeline.depth(100_000, 256));
        assertEquals(256, RequestPipeline.depth(1_000_000_000, 256));
    }

    @Test
    void untilItsRateIsMeasuredEachBlockFromAPeerLetsOneMoreRequestOut() {
        var pipeline = new RequestPipeline();
        assertEquals(RequestPipeline.MIN, pipeline.target(0, 256));
        for (int i = 0; i < RequestPipeline.MIN; i++) {
            pipeline.blockReceived(0, 256);
        }
        assertEquals(2 * RequestPipeline.MIN, pipeline.target(0, 256), "one round trip doubles the window");
        for (int i = 0; i < 1000; i++) {
            pipeline.blockReceived(0, 256);
        }
        assertEquals(256, pipeline.target(0, 256), "never past the cap");
        assertEquals(RequestPipeline.depth(100_000, 256), pipeline.target(100_000, 256),
                "once measured, the rate decides: a slow peer drops back");
        pipeline.blockReceived(100_000, 256);
        assertEquals(RequestPipeline.depth(1_000_000, 256), pipeline.target(1_000_000, 256));
    }

    @Test
    void requestsLeaveInBurstsOfAnEighthOfTheDepth() {
        assertEquals(256, RequestPipeline.toSend(256, 0), "an empty pipeline fills at once");
        assertEquals(0, RequestPipeline.toSend(256, 256), "a full one sends nothing");
        assertEquals(0, RequestPipeline.toSend(256, 300), "nor one past its depth (the rate dropped)");
        assertEquals(0, RequestPipeline.toSend(256, 225), "31 free slots wait for more");
        assertEquals(32, RequestPipeline.toSend(256, 224), "32 free slots (an eighth) go out together");
        assertEquals(100, RequestPipeline.toSend(256, 156));
        assertEquals(0, RequestPipeline.toSend(16, 15), "at the minimum depth, two at a time");
        assertEquals(2, RequestPipeline.toSend(16, 14));
        assertEquals(1, RequestPipeline.toSend(4, 3), "a shallow pipeline still refills one by one");
        assertEquals(1, RequestPipeline.toSend(1, 0));
    }
}
