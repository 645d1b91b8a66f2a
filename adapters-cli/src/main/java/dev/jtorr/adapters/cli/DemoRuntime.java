package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.CreateTorrentUseCase;
import dev.jtorr.application.port.in.DownloadTorrentUseCase;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.ServeTrackerUseCase;
import dev.jtorr.application.port.in.VerifyTorrentUseCase;
import dev.jtorr.application.port.out.ProgressListener;

/**
 * The use cases {@code jtorr demo} runs side by side in one process, each session reporting to a listener of its
 * own (the console's single progress line cannot show several sessions). Built by the composition root.
 */
public interface DemoRuntime {
    CreateTorrentUseCase creator();

    ServeTrackerUseCase tracker();

    SeedTorrentUseCase seeder(ProgressListener progress);

    DownloadTorrentUseCase downloader(ProgressListener progress);

    VerifyTorrentUseCase verifier();
}
