package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/etc", "a\\b", "nul\u0000byte", "bell\u0007", "del\u007f"})
    void rejectsNamesThatCouldEscapeOrCorrupt(String bad) {
        var e = assertThrows(MetainfoException.class, () -> FileNames.safePath(List.of("ok", bad)));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1000})
    void rejectsOverlongNames(int n) {
        assertThrows(MetainfoException.class, () -> FileNames.safePath(List.of("x".repeat(n))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "plain.txt#plain.txt",
        "Movie: The Sequel?#Movie_ The Sequel_",
        "a<b>c\"d|e*f#a_b_c_d_e_f",
        "trailing.#trailing_",
        "'trailing '#trailing_",
        "CON#CON_",
        "nul.txt#nul_.txt",
        "com1.tar.gz#com1_.tar.gz",
        "CONSOLE#CONSOLE",
        "ünïcødé ✓#ünïcødé ✓",
    })
    void sanitisesWhatIsOnlyNonPortable(String name, String expected) {
        assertEquals(expected, FileNames.safeComponent(name, List.of(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../b"})
    void escapingMessageNamesTheProblem(String bad) {
        var e = assertThrows(MetainfoException.class, () -> FileNames.safePath(List.of(bad.split("/", -1))));
        assertTrue(e.getMessage().contains("escapes the download folder"), e.getMessage());
    }
}
