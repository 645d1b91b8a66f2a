package dev.jtorr.adapters.cli.wiring;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's offline defaults, {@code scripts/offline.properties}: what every test's jtorr runs with. */
public final class OfflineConfig {
    private OfflineConfig() {
    }

    /** The file, found from the working directory upwards (a module's folder under Maven). */
    public static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("scripts").resolve("offline.properties");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("scripts/offline.properties not found above " + Path.of("").toAbsolutePath());
    }
}
