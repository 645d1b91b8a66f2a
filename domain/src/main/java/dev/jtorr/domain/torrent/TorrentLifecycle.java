package dev.jtorr.domain.torrent;

import java.util.Optional;

/**
 * Where one torrent is in its life, and the moves allowed from each state. Pure and single-threaded: the owner (a
 * session on its own thread) applies events; an event that the current state does not allow is refused with an
 * {@link IllegalStateException}, so a bug shows at once instead of leaving a torrent half in two states.
 *
 * <pre>
 *   ADDED ──metadata missing──▶ WAITING_FOR_METADATA ──metadata──▶ CHECKING
 *   ADDED ──check──▶ CHECKING ──checked──▶ DOWNLOADING ──completed──▶ SEEDING
 *                                └──(all there)──────────────────────▶ SEEDING
 *   DOWNLOADING, SEEDING, WAITING_FOR_METADATA ──pause──▶ PAUSED ──resume──▶ the state it left
 *   DOWNLOADING, SEEDING, PAUSED ──recheck──▶ CHECKING
 *   any but STOPPED ──stop──▶ STOPPED;  any but STOPPED ──fail──▶ ERROR (with the reason)
 *   ERROR ──recheck──▶ CHECKING (after the user fixed the cause)
 * </pre>
 */
public final class TorrentLifecycle {
    /** The states of a torrent. */
    public enum State { ADDED, WAITING_FOR_METADATA, CHECKING, DOWNLOADING, SEEDING, PAUSED, STOPPED, ERROR }

    private State state = State.ADDED;
    private State beforePause;
    private String error;

    public State state() {
        return state;
    }

    /** Why the torrent is in {@link State#ERROR}. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** A magnet link: the info dictionary must come from peers first. */
    public void awaitMetadata() {
        require(state == State.ADDED, "wait for metadata");
        state = State.WAITING_FOR_METADATA;
    }

    /** Existing data is being checked (at start, when the metadata arrived, or on recheck). */
    public void check() {
        require(state == State.ADDED || state == State.WAITING_FOR_METADATA, "check");
        state = State.CHECKING;
    }

    /** The check is done: every piece there ({@code complete}) means seeding, else downloading. */
    public void checked(boolean complete) {
        require(state == State.CHECKING, "finish a check");
        state = complete ? State.SEEDING : State.DOWNLOADING;
    }

    /** The last piece verified. */
    public void completed() {
        require(state == State.DOWNLOADING, "complete");
        state = State.SEEDING;
    }

    public void pause() {
        require(state == State.DOWNLOADING || state == State.SEEDING || state == State.WAITING_FOR_METADATA,
                "pause");
        beforePause = state;
        state = State.PAUSED;
    }

    public void resume() {
        require(state == State.PAUSED, "resume");
        state = beforePause;
        beforePause = null;
    }

    /** Checks the data again: from downloading, seeding, paused, or an error the user has fixed. */
    public void recheck() {
        require(state == State.DOWNLOADING || state == State.SEEDING || state == State.PAUSED
                || state == State.ERROR, "recheck");
        state = State.CHECKING;
        beforePause = null;
        error = null;
    }

    /** Stopped for good (removed, or the process is ending). */
    public void stop() {
        require(state != State.STOPPED, "stop");
        state = State.STOPPED;
    }

    /** Something went wrong that the torrent cannot go on from (the disk is full, say). */
    public void fail(String reason) {
        require(state != State.STOPPED, "fail");
        state = State.ERROR;
        error = reason;
    }

    /** Whether it moves data: asks peers for pieces or serves them. */
    public boolean isActive() {
        return state == State.DOWNLOADING || state == State.SEEDING || state == State.WAITING_FOR_METADATA;
    }

    private void require(boolean allowed, String what) {
        if (!allowed) {
            throw new IllegalStateException("a torrent cannot " + what + " while " + state.name().toLowerCase(
                    java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
