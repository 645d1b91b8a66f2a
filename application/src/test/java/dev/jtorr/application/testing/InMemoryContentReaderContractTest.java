package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.ContentReader;
import java.nio.file.Path;
import java.util.Map;

class InMemoryContentReaderContractTest extends ContentReaderContract {
    private final InMemoryContentReader reader = new InMemoryContentReader();

    @Override
    protected Path prepare(Map<String, byte[]> files) {
        files.forEach(reader::put);
        return Path.of("root");
    }

    @Override
    protected ContentReader reader() {
        return reader;
    }

    @Override
    protected Path missing() {
        return Path.of("nothing-here");
    }
}
