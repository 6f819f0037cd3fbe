package dev.ingest.plugin.destination;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the destinations, apart from ingestion: one consumer reads stored events (clickhouse_events_json) and starts
 * their deliveries, another reads the retry topic and starts the due retries. Started and stopped with the service.
 */
public final class DeliveryWorker implements SmartLifecycle {
    private final DeliveryConsumer events;
    private final DeliveryConsumer retries;
    private final Deliveries deliveries;
    private final ScheduledExecutorService scheduler;
    private volatile List<Thread> threads = List.of();

    public DeliveryWorker(DeliveryConsumer events, DeliveryConsumer retries, Deliveries deliveries,
            ScheduledExecutorService scheduler) {
        this.events = events;
        this.retries = retries;
        this.deliveries = deliveries;
        this.scheduler = scheduler;
    }

    /** Whether both consumers hold partitions. */
    public boolean assigned() {
        return events.assigned() && retries.assigned();
    }

    @Override
    public void start() {
        threads = List.of(Thread.ofPlatform().name("destinations-events").start(events),
                Thread.ofPlatform().name("destinations-retries").start(retries));
    }

    @Override
    public void stop() {
        events.stop();
        retries.stop();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliveries.close();
        scheduler.shutdownNow();
        threads = List.of();
    }

    @Override
    public boolean isRunning() {
        return !threads.isEmpty();
    }
}
