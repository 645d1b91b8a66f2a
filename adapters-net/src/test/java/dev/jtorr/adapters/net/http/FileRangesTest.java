package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.adapters.net.http.FileRanges.Invalid;
import dev.jtorr.adapters.net.http.FileRanges.Partial;
import dev.jtorr.adapters.net.http.FileRanges.Unsatisfiable;
import dev.jtorr.adapters.net.http.FileRanges.Whole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Range headers against a file of 1000 bytes unless said otherwise (RFC 9110, section 14). */
class FileRangesTest {
    private static FileRanges.Result parse(String header) {
        return FileRanges.parse(header, 1000);
    }

    @Test
    void noHeaderIsTheWholeFile() {
        assertEquals(new Whole(), parse(null));
    }

    @Test
    void theThreeFormsOfOneRange() {
        assertEquals(new Partial(0, 99, 1000), parse("bytes=0-99"));
        assertEquals(new Partial(500, 999, 1000), parse("bytes=500-"));
        assertEquals(new Partial(900, 999, 1000), parse("bytes=-100"));
        assertEquals(new Partial(7, 7, 1000), parse("bytes=7-7"));
    }

    @Test
    void aRangePastTheEndIsCutAtTheEnd() {
        assertEquals(new Partial(990, 999, 1000), parse("bytes=990-5000"));
        assertEquals(new Partial(0, 999, 1000), parse("bytes=-5000"), "a suffix longer than the file: all of it");
        assertEquals(new Partial(1, 999, 1000), parse("bytes=1-99999999999999999999999"), "too big for a long");
    }

    @Test
    void theUnitIsCaseInsensitiveAndSpacesAroundAreTolerated() {
        assertEquals(new Partial(0, 9, 1000), parse("Bytes=0-9"));
        assertEquals(new Partial(0, 9, 1000), parse("  bytes = 0 - 9 "));
    }

    @Test
    void whatStartsAtOrPastTheEndOrAsksForNothingIsUnsatisfiable() {
        assertEquals(new Unsatisfiable(1000), parse("bytes=1000-"));
        assertEquals(new Unsatisfiable(1000), parse("bytes=1000-2000"));
        assertEquals(new Unsatisfiable(1000), parse("bytes=99999999999999999999999-"));
        assertEquals(new Unsatisfiable(1000), parse("bytes=-0"));
        assertEquals(new Unsatisfiable(0), FileRanges.parse("bytes=0-", 0), "an empty file has no byte to send");
        assertEquals(new Unsatisfiable(0), FileRanges.parse("bytes=-5", 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes", "bytes=", "bytes=abc", "bytes=5", "bytes=-", "bytes=9-5", "bytes=a-5",
            "bytes=5-b", "bytes=-x", "bytes=--5", "bytes=+5-9", "bytes=0x10-20", "bytes=1-2-3", "=0-9"})
    void malformedByteRangesAreInvalid(String header) {
        assertInstanceOf(Invalid.class, parse(header), header);
    }

    @Test
    void severalRangesOrAnotherUnitAreIgnored() {
        assertEquals(new Whole(), parse("bytes=0-9,20-29"));
        assertEquals(new Whole(), parse("items=0-9"));
    }

    @Test
    void theHeadersToAnswerWith() {
        var partial = (Partial) parse("bytes=10-19");
        assertEquals("bytes 10-19/1000", partial.contentRange());
        assertEquals(10, partial.size());
        assertEquals("bytes */1000", ((Unsatisfiable) parse("bytes=2000-")).contentRange());
    }

    @Test
    void anInvalidReasonQuotesTheHeader() {
        assertEquals(new Invalid("the range ends before it starts: \"bytes=9-5\""), parse("bytes=9-5"));
        assertThrows(IllegalArgumentException.class, () -> FileRanges.parse("bytes=0-1", -1));
    }
}
