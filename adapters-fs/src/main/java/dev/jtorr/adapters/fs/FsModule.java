package dev.jtorr.adapters.fs;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.PieceStorage;

/** Binds the file-system adapters to their ports. Does no I/O. */
public final class FsModule extends AbstractModule {
    private final FsConfig config;

    public FsModule(FsConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(ContentReader.class).to(FileChannelContentReader.class);
        bind(MetainfoStore.class).to(FileMetainfoStore.class);
        bind(PieceStorage.class).to(FileChannelPieceStorage.class).in(Scopes.SINGLETON); // one pool of open files
    }

    @Provides
    FsConfig config() {
        return config;
    }
}
