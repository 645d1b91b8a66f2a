package dev.jtorr.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.junit.jupiter.api.Test;

/** {@code --upload-slots}: automatic unless a number fixes it. */
class UploadSlotsOptionTest {
    @Command(name = "x")
    static final class Holder {
        @Mixin
        SwarmOptions swarm = new SwarmOptions();
    }

    private static int slots(String... args) {
        var holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.swarm.toSessionOptions(false).uploadSlots();
    }

    @Test
    void automaticByDefaultOrWhenAskedAndFixedByANumber() {
        assertEquals(0, slots(), "0 is automatic");
        assertEquals(0, slots("--upload-slots", "auto"));
        assertEquals(6, slots("--upload-slots", "6"));
    }

    @Test
    void zeroOrNonsenseIsAUsageError() {
        assertThrows(CommandLine.ParameterException.class, () -> slots("--upload-slots", "0"));
        assertThrows(CommandLine.ParameterException.class, () -> slots("--upload-slots", "many"));
    }
}
