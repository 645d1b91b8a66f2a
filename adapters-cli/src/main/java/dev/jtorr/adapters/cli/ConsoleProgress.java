package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.domain.swarm.TransferStatus;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Shows progress: on a terminal a live line on stderr (percent, rate, ETA) rewritten in place; otherwise a plain
 * line every few seconds; with {@code --json}, one JSON object per line on stdout. Commands choose the mode
 * before they run a use case.
 */
public final class ConsoleProgress implements ProgressListener {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final Terminal terminal;
    private volatile boolean json;
    private long startNanos;
    private long lastPlainNanos;
    private boolean lineOpen;

    public ConsoleProgress(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Resets timing and selects JSON or human output for the next operation. */
    void start(boolean jsonOutput) {
        this.json = jsonOutput;
        this.startNanos = System.nanoTime();
        this.lastPlainNanos = startNanos;
    }

    @Override
    public synchronized void hashing(long bytesDone, long bytesTotal) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = bytesDone / seconds;
        if (json) {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "hashing");
            event.put("bytes_done", bytesDone);
            event.put("bytes_total", bytesTotal);
            event.put("bytes_per_second", Math.round(rate));
            terminal.out().println(Json.write(event));
            terminal.out().flush();
            return;
        }
        double percent = bytesTotal == 0 ? 100 : 100.0 * bytesDone / bytesTotal;
        String eta = rate > 0 && bytesDone < bytesTotal ? duration((bytesTotal - bytesDone) / rate) : "0:00";
        String line = String.format(Locale.ROOT, "hashing %5.1f%%  %s of %s  %s/s  ETA %s", percent,
                Sizes.format(bytesDone), Sizes.format(bytesTotal), Sizes.format(Math.round(rate)), eta);
        if (terminal.interactive()) {
            terminal.err().print("\r\033[K" + line);
            lineOpen = true;
            if (bytesDone >= bytesTotal) {
                finishLine();
            }
        } else if (now - lastPlainNanos >= PLAIN_INTERVAL_NANOS || bytesDone >= bytesTotal) {
            terminal.err().println(line);
            lastPlainNanos = now;
        }
        terminal.err().flush();
    }

    @Override
    public synchronized void transfer(TransferStatus s) {
        long now = System.nanoTime();
        if (json) {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "progress");
            event.put("phase", s.phase().name().toLowerCase(Locale.ROOT));
            event.put("percent", Math.round(s.percent() * 10) / 10.0);
            event.put("verified_bytes", s.verifiedBytes());
            event.put("total_bytes", s.totalBytes());
            event.put("download_rate", s.downloadRate());
            event.put("upload_rate", s.uploadRate());
            event.put("downloaded", s.downloaded());
            event.put("uploaded", s.uploaded());
            event.put("peers", s.peers());
            event.put("failed_pieces", s.failedPieces());
            event.put("banned_peers", s.bannedPeers());
            s.eta().ifPresent(eta -> event.put("eta_seconds", eta.toSeconds()));
            terminal.out().println(Json.write(event));
            terminal.out().flush();
            return;
        }
        String line = describe(s);
        if (terminal.interactive()) {
            terminal.err().print("\r\033[K" + line);
            lineOpen = true;
        } else if (now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
            terminal.err().println(line);
            lastPlainNanos = now;
        }
        terminal.err().flush();
    }

    /** One line about a transfer: phase, percent, sizes, rates, peers, ETA. */
    static String describe(TransferStatus s) {
        String phase = s.phase().name().toLowerCase(Locale.ROOT);
        String eta = s.eta().map(d -> duration(d.toSeconds())).orElse("--:--");
        return String.format(Locale.ROOT, "%-11s %5.1f%%  %s of %s  down %s/s  up %s/s (%s sent)  peers %d  ETA %s",
                phase, s.percent(), Sizes.format(s.verifiedBytes()), Sizes.format(s.totalBytes()),
                Sizes.format(s.downloadRate()), Sizes.format(s.uploadRate()), Sizes.format(s.uploaded()), s.peers(),
                eta) + (s.failedPieces() > 0 ? "  failed pieces " + s.failedPieces() : "")
                + (s.bannedPeers() > 0 ? "  banned " + s.bannedPeers() : "");
    }

    @Override
    public synchronized void notice(String message) {
        if (json) {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "notice");
            event.put("message", message);
            terminal.out().println(Json.write(event));
            terminal.out().flush();
            return;
        }
        finishLine();
        terminal.err().println(message);
        terminal.err().flush();
    }

    /** Ends a live line, so that what is printed next starts on a line of its own. */
    synchronized void finishLine() {
        if (lineOpen) {
            terminal.err().println();
            terminal.err().flush();
            lineOpen = false;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
