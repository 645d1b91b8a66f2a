package dev.jtorr.adapters.fs;

import com.google.inject.AbstractModule;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.PieceStorage;

/** Binds the file-system adapters to their ports. Does no I/O. */
public final class FsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ContentReader.class).to(FileChannelContentReader.class);
        bind(MetainfoStore.class).to(FileMetainfoStore.class);
        bind(PieceStorage.class).to(FileChannelPieceStorage.class);
    }
}
