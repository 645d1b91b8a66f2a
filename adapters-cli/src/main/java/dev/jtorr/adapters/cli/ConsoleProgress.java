package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.domain.swarm.TransferStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows progress: on a terminal a live line on stderr (percent, rate, ETA) rewritten in place; otherwise a plain
 * line every few seconds; with {@code --json}, one JSON object per line on stdout. With several torrents, a line
 * each (a block redrawn in place on a terminal), prefixed by the torrent's name. Commands choose the mode before they
 * run a use case.
 */
public final class ConsoleProgress implements ProgressListener {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final Terminal terminal;
    private volatile boolean json;
    private long startNanos;
    private long lastPlainNanos;
    private boolean lineOpen;
    /** More torrents than this are shown as one line of totals. */
    static final int MAX_LINES = 8;

    /** The torrents of the engine being shown, by id, and the last status of each (null before the first). */
    private final Map<String, TransferStatus> torrents = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    /** Lines of the block drawn last on a terminal (several torrents). */
    private int drawn;
    private long lastDrawNanos;

    public ConsoleProgress(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Resets timing and selects JSON or human output for the next operation. */
    void start(boolean jsonOutput) {
        this.json = jsonOutput;
        this.startNanos = System.nanoTime();
        this.lastPlainNanos = startNanos;
        torrents.clear();
        names.clear();
        drawn = 0;
    }

    @Override
    public synchronized void event(EngineEvent event) {
        switch (event) {
            case EngineEvent.Added a -> {
                torrents.put(a.torrent(), a.status());
                names.put(a.torrent(), a.name());
            }
            case EngineEvent.Progress p when json -> progressJson(p.status(), p.torrent(), p.name());
            case EngineEvent.Progress p when torrents.size() <= 1 -> transfer(p.status());
            case EngineEvent.Progress p -> several(p);
            case EngineEvent.FetchingMetadata f -> fetchingMetadata(f);
            case EngineEvent.Notice n when json -> noticeJson(n.message(), n.torrent());
            case EngineEvent.Notice n -> notice(torrents.size() <= 1 ? n.message() : n.name() + ": " + n.message());
            default -> { }
        }
    }

    /** A torrent's line among several: redrawn as a block on a terminal, all of them every few seconds otherwise. */
    private void several(EngineEvent.Progress p) {
        torrents.put(p.torrent(), p.status());
        int shown = torrents.size() > MAX_LINES ? 1 : torrents.size();
        long now = System.nanoTime();
        // the lines are made only when drawn: with many torrents, one per event would visit every torrent each time
        if (terminal.interactive() ? now - lastDrawNanos < 200_000_000L && drawn == shown
                : now - lastPlainNanos < PLAIN_INTERVAL_NANOS) {
            return;
        }
        List<String> lines = torrents.size() > MAX_LINES ? List.of(totals(torrents.values()))
                : torrents.entrySet().stream().map(e -> names.get(e.getKey()) + "  " + describe(e.getValue()))
                        .toList();
        if (terminal.interactive()) {
            if (lineOpen) {
                finishLine();
            }
            var out = new StringBuilder();
            if (drawn > 0) {
                out.append("\033[").append(drawn).append('F'); // back to the first line of the block
            }
            lines.forEach(line -> out.append("\033[K").append(line).append('\n'));
            terminal.err().print(out);
            drawn = lines.size();
            lastDrawNanos = now;
        } else {
            lines.forEach(terminal.err()::println);
            lastPlainNanos = now;
        }
        terminal.err().flush();
    }

    /** A magnet link's metadata on its way: a live line like a transfer's, or a JSON event. */
    private void fetchingMetadata(EngineEvent.FetchingMetadata f) {
        if (json) {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "metadata");
            event.put("torrent", f.torrent());
            event.put("pieces_held", f.held());
            event.put("pieces", f.pieces());
            event.put("sources", f.sources());
            event.put("peers", f.peers());
            terminal.out().println(Json.write(event));
            terminal.out().flush();
            return;
        }
        String line = String.format(Locale.ROOT, "fetching metadata  %d of %d pieces  %d peers (%d offer it)",
                f.held(), f.pieces(), f.peers(), f.sources());
        statusLine(line, System.nanoTime());
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
            progressJson(s, null, null);
            return;
        }
        statusLine(describe(s), now);
    }

    /** The live line on a terminal (redrawn in place); otherwise a plain line every {@link #PLAIN_INTERVAL_NANOS}. */
    private void statusLine(String line, long now) {
        if (terminal.interactive()) {
            terminal.err().print("\r\033[K" + line);
            lineOpen = true;
        } else if (now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
            terminal.err().println(line);
            lastPlainNanos = now;
        }
        terminal.err().flush();
    }

    private void progressJson(TransferStatus s, String torrent, String name) {
        {
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "progress");
            if (torrent != null) {
                event.put("torrent", torrent);
                event.put("name", name);
            }
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
        }
    }

    /** One line for many torrents: how many are in each phase, and their sums. */
    static String totals(java.util.Collection<TransferStatus> all) {
        var phases = new java.util.TreeMap<String, Integer>();
        long verified = 0;
        long total = 0;
        long down = 0;
        long up = 0;
        long sent = 0;
        int peers = 0;
        for (TransferStatus s : all) {
            phases.merge(s.phase().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            verified += s.verifiedBytes();
            total += s.totalBytes();
            down += s.downloadRate();
            up += s.uploadRate();
            sent += s.uploaded();
            peers += s.peers();
        }
        var counts = new java.util.ArrayList<String>();
        phases.forEach((phase, n) -> counts.add(n + " " + phase));
        return String.format(Locale.ROOT, "%d torrents (%s)  %s of %s  down %s/s  up %s/s (%s sent)  peers %d",
                all.size(), String.join(", ", counts), Sizes.format(verified), Sizes.format(total),
                Sizes.format(down), Sizes.format(up), Sizes.format(sent), peers);
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
            noticeJson(message, null);
            return;
        }
        finishLine();
        terminal.err().println(message);
        terminal.err().flush();
    }

    private void noticeJson(String message, String torrent) {
        var event = new LinkedHashMap<String, Object>();
        event.put("event", "notice");
        if (torrent != null) {
            event.put("torrent", torrent);
        }
        event.put("message", message);
        terminal.out().println(Json.write(event));
        terminal.out().flush();
    }

    /** Ends a live line, so that what is printed next starts on a line of its own. */
    synchronized void finishLine() {
        drawn = 0; // a block of torrent lines stays above what comes next
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
