package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Runs started torrents in the foreground: waits for completion (and, when seeding, until Ctrl-C), stops them
 * cleanly on Ctrl-C so resume data is saved, and prints the summaries.
 */
final class SessionRunner {
    private SessionRunner() {
    }

    /** Waits as asked; returns whether every wanted byte is verified. */
    static boolean run(TorrentHandle handle, boolean untilStopped, Terminal terminal, ConsoleProgress progress,
                       boolean json, String name) throws InterruptedException {
        return runAll(List.of(handle), List.of(name), untilStopped, terminal, progress, json);
    }

    /**
     * Runs torrents of one engine in the foreground: waits until each is complete (and, when seeding, until Ctrl-C),
     * stops them cleanly on Ctrl-C so resume data is saved, and prints a summary of each (and of all, with several).
     *
     * @return whether every wanted byte of every torrent is verified and none failed
     */
    static boolean runAll(List<TorrentHandle> handles, List<String> names, boolean untilStopped, Terminal terminal,
                          ConsoleProgress progress, boolean json) throws InterruptedException {
        long start = System.nanoTime();
        Thread hook = new Thread(() -> {
            handles.forEach(TorrentHandle::close);
            try {
                for (TorrentHandle h : handles) {
                    h.awaitStopped();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jtorr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean complete = true;
            for (TorrentHandle h : handles) {
                complete &= h.awaitComplete(Duration.ofDays(3650));
            }
            if (complete && untilStopped) {
                progress.finishLine();
                if (!json) {
                    terminal.err().println((handles.size() == 1 ? names.get(0) + " is" : "all " + handles.size()
                            + " torrents are") + " complete; seeding until stopped (Ctrl-C)");
                    terminal.err().flush();
                }
            }
            if (!untilStopped && complete) {
                handles.forEach(TorrentHandle::close);
            }
            for (TorrentHandle h : handles) {
                h.awaitStopped();
            }
            progress.finishLine();
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean ok = true;
            for (int i = 0; i < handles.size(); i++) {
                summary(handles.get(i), terminal, json, names.get(i), seconds);
                ok &= handles.get(i).failure().isEmpty() && complete(handles.get(i).status());
            }
            if (handles.size() > 1 && !json) {
                long done = handles.stream().filter(h -> h.failure().isEmpty() && complete(h.status())).count();
                terminal.out().println(done + " of " + handles.size() + " torrents complete");
                terminal.out().flush();
            }
            return ok;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running
            }
        }
    }

    static boolean complete(TransferStatus s) {
        return s != null && s.verifiedBytes() == s.totalBytes();
    }

    private static void summary(TorrentHandle handle, Terminal terminal, boolean json, String name, double seconds) {
        TransferStatus s = handle.status();
        if (json) {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "finished");
            event.put("torrent", handle.id());
            event.put("name", name);
            event.put("complete", complete(s));
            event.put("verified_bytes", s.verifiedBytes());
            event.put("total_bytes", s.totalBytes());
            event.put("downloaded", s.downloaded());
            event.put("uploaded", s.uploaded());
            event.put("seconds", Math.round(seconds * 1000) / 1000.0);
            event.put("failed_pieces", s.failedPieces());
            event.put("banned_peers", s.bannedPeers());
            handle.failure().ifPresent(f -> event.put("error", f));
            var peers = new java.util.ArrayList<Object>();
            for (var p : handle.peers()) {
                var m = new LinkedHashMap<String, Object>();
                m.put("address", p.address());
                m.put("client", p.client());
                m.put("peer_id", p.peerId());
                m.put("encryption", p.encryption());
                m.put("downloaded", p.downloaded());
                m.put("uploaded", p.uploaded());
                peers.add(m);
            }
            event.put("peers", peers);
            terminal.out().println(Json.write(event));
        } else {
            terminal.out().println(String.format(Locale.ROOT,
                    "%s: %s, %s of %s verified; downloaded %s, uploaded %s in %s (%s/s)%s%s", name,
                    complete(s) ? "complete" : "incomplete", Sizes.format(s.verifiedBytes()),
                    Sizes.format(s.totalBytes()), Sizes.format(s.downloaded()), Sizes.format(s.uploaded()),
                    ConsoleProgress.duration(seconds), Sizes.format(Math.round(s.downloaded() / Math.max(seconds,
                            1e-3))), s.failedPieces() > 0 ? "; " + s.failedPieces() + " pieces failed their hash" : "",
                    s.bannedPeers() > 0 ? "; " + s.bannedPeers() + " peers banned" : ""));
            handle.failure().ifPresent(f -> terminal.err().println("jtorr: " + f));
        }
        terminal.out().flush();
        terminal.err().flush();
    }
}
