package dev.jtorr.application.port.out;

/** Makes the single-threaded {@link Scheduler} each torrent session runs on. */
public interface SchedulerFactory {
    /** A new scheduler with its own thread, named for logs and thread dumps. */
    Scheduler create(String name);
}
