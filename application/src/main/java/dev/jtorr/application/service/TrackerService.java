package dev.jtorr.application.service;

import dev.jtorr.application.port.in.ServeTrackerCommand;
import dev.jtorr.application.port.in.ServeTrackerUseCase;
import dev.jtorr.application.port.in.TrackerHandle;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerTransport;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

/**
 * Runs a tracker: one {@link Tracker} (the swarm registry) served by the HTTP and UDP listeners of the transport,
 * with expired peers swept once a minute on a scheduler.
 */
public final class TrackerService implements ServeTrackerUseCase {
    private final TrackerTransport transport;
    private final SchedulerFactory schedulers;
    private final TimeSource time;
    private final RandomGenerator random;

    public TrackerService(TrackerTransport transport, SchedulerFactory schedulers, TimeSource time,
                          RandomGenerator random) {
        this.transport = transport;
        this.schedulers = schedulers;
        this.time = time;
        this.random = random;
    }

    @Override
    public TrackerHandle start(ServeTrackerCommand command) {
        var tracker = new Tracker(command, time, random);
        TrackerTransport.Listening http = command.httpPort() < 0 ? null
                : transport.listenHttp(command.bindAddress(), command.httpPort(), tracker);
        TrackerTransport.Listening udp;
        try {
            udp = command.udpPort() < 0 ? null
                    : transport.listenUdp(command.bindAddress(), command.udpPort(), tracker);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
        var scheduler = schedulers.create("jtorr-tracker");
        var stopped = new CountDownLatch(1);
        Runnable[] sweep = new Runnable[1];
        sweep[0] = () -> {
            tracker.expire();
            scheduler.after(Tracker.SWEEP_EVERY, sweep[0]);
        };
        scheduler.after(Tracker.SWEEP_EVERY, sweep[0]);
        return new TrackerHandle() {
            @Override
            public OptionalInt httpPort() {
                return http == null ? OptionalInt.empty() : OptionalInt.of(http.port());
            }

            @Override
            public OptionalInt udpPort() {
                return udp == null ? OptionalInt.empty() : OptionalInt.of(udp.port());
            }

            @Override
            public dev.jtorr.domain.tracker.TrackerStatistics statistics() {
                return tracker.statistics();
            }

            @Override
            public void awaitStopped() throws InterruptedException {
                stopped.await();
            }

            @Override
            public synchronized void close() {
                if (stopped.getCount() == 0) {
                    return;
                }
                if (http != null) {
                    http.close();
                }
                if (udp != null) {
                    udp.close();
                }
                scheduler.shutdown();
                stopped.countDown();
            }
        };
    }
}
