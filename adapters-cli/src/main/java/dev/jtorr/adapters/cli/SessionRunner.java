package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Runs a started session in the foreground: waits for completion (and, when seeding, until Ctrl-C), stops the
 * session cleanly on Ctrl-C so resume data is saved, and prints the summary.
 */
final class SessionRunner {
    private SessionRunner() {
    }

    /** Waits as asked; returns whether every wanted byte is verified. */
    static boolean run(TorrentHandle handle, boolean untilStopped, Terminal terminal, ConsoleProgress progress,
                       boolean json, String name) throws InterruptedException {
        long start = System.nanoTime();
        Thread hook = new Thread(() -> {
            handle.close();
            try {
                handle.awaitStopped();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jtorr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean complete = handle.awaitComplete(Duration.ofDays(3650));
            if (complete && untilStopped) {
                progress.finishLine();
                if (!json) {
                    terminal.err().println(name + " is complete; seeding until stopped (Ctrl-C)");
                    terminal.err().flush();
                }
            }
            if (untilStopped || !complete) {
                handle.awaitStopped();
            } else {
                handle.close();
                handle.awaitStopped();
            }
            progress.finishLine();
            summary(handle, terminal, json, name, (System.nanoTime() - start) / 1e9);
            return handle.failure().isEmpty() && complete(handle.status());
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
