package dev.ingest.plugin.destination;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a record of the retry topic: the delivery it carries is dispatched again once its {@code not_before} time
 * has come. Waiting deliveries are held in a scheduler (their offsets stay uncommitted until they settle), so a
 * long backoff never delays a shorter one behind it.
 */
public final class RetryPlanner implements DeliveryConsumer.Planner {
    private static final Logger log = LoggerFactory.getLogger(RetryPlanner.class);

    private final Deliveries deliveries;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public RetryPlanner(Deliveries deliveries, ScheduledExecutorService scheduler, Clock clock) {
        this.deliveries = deliveries;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public List<Consumer<Runnable>> plan(ConsumerRecord<String, byte[]> record) {
        Delivery delivery;
        try {
            delivery = Delivery.fromJson(record.value(), deliveries.seal());
        } catch (IllegalArgumentException e) {
            // Only this service writes the topic: a record it cannot read is a bug, logged loudly, not a retry.
            log.error("skipping an unreadable delivery at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return List.of();
        }
        long delay = Math.max(0, delivery.notBefore() - clock.millis());
        return List.of(done -> scheduler.schedule(() -> deliveries.dispatch(delivery, done), delay, TimeUnit.MILLISECONDS));
    }
}
