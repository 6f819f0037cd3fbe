package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.apps.AppHooks;
import dev.ingest.plugin.apps.WebhookRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Settling deliveries, with onEvent handlers and a refused target standing in for HTTP (no network). */
class DeliveriesTest {
    private static final DeliverySeal SEAL = DeliverySeal.fromSecret("test-destinations-key");

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T20:00:00Z"), ZoneOffset.UTC);
    private final List<OutgoingRecord> produced = new CopyOnWriteArrayList<>();
    private final RecordSink sink = records -> {
        produced.addAll(records);
        return CompletableFuture.completedFuture(null);
    };
    private volatile AppHooks app = new AppHooks(null, null, (event, meta) -> {}, null);

    private Deliveries deliveries(int maxPending) {
        AttemptRunner runner = new AttemptRunner(new TargetPolicy(List.of()), Duration.ofSeconds(1), Duration.ofSeconds(1),
                (team, destination) -> Optional.ofNullable(app));
        return new Deliveries(new Deliveries.Settings(Topics.APP_DELIVERIES_RETRY, Topics.APP_DELIVERIES_DLQ, 3,
                Duration.ofSeconds(1), Duration.ofSeconds(3), 1, maxPending, SEAL), runner, sink, CLOCK, new SimpleMeterRegistry());
    }

    private static Delivery onEvent() {
        ObjectNode event = Json.object().put("uuid", "u-1").put("distinct_id", "d");
        return Delivery.onEvent(5, 1, "js", "u-1", event);
    }

    private static void settle(Deliveries deliveries, Delivery delivery) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        deliveries.dispatch(delivery, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).as("settled").isTrue();
    }

    @Test
    void aDeliveredAttemptProducesNothing() throws Exception {
        settle(deliveries(10), onEvent());
        assertThat(produced).isEmpty();
    }

    @Test
    void aFailedAttemptGoesToTheRetryTopicDueAfterTheBackoff() throws Exception {
        app = new AppHooks(null, null, (event, meta) -> {
            throw new IllegalStateException("remote said no");
        }, null);
        settle(deliveries(10), onEvent());
        assertThat(produced).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.APP_DELIVERIES_RETRY);
            Delivery next = Delivery.fromJson(record.value(), SEAL);
            assertThat(next.attempt()).isEqualTo(2);
            assertThat(next.notBefore() - CLOCK.millis()).isBetween(1_000L, 1_100L);
            assertThat(next.lastError()).contains("remote said no");
        });
    }

    @Test
    void theLastAttemptIsDeadLetteredWithAWarningForTheProject() throws Exception {
        app = new AppHooks(null, null, (event, meta) -> {
            throw new IllegalStateException("still down");
        }, null);
        Delivery third = onEvent().next(0, "x").next(0, "y");
        settle(deliveries(10), third);
        assertThat(produced).extracting(OutgoingRecord::topic)
                .containsExactly(Topics.APP_DELIVERIES_DLQ, Topics.CLICKHOUSE_INGESTION_WARNINGS);
        assertThat(produced.getFirst().headers()).containsEntry("attempt", "3").containsEntry("destination_id", "5");
        assertThat(produced.getFirst().headers().get("reason")).startsWith("gave up after 3 attempts").contains("still down");
        assertThat(new String(produced.get(1).value())).contains(Deliveries.WARNING_TYPE);
    }

    @Test
    void aRefusedTargetIsDeadLetteredAtOnce() throws Exception {
        app = AppHooks.destination((event, meta) -> Optional.empty());
        Delivery delivery = Delivery.request(5, 1, "webhook", "u-1",
                WebhookRequest.post(URI.create("http://169.254.169.254/latest"), Map.of(), "{}"));
        settle(deliveries(10), delivery);
        assertThat(produced.getFirst().topic()).isEqualTo(Topics.APP_DELIVERIES_DLQ);
        assertThat(produced.getFirst().headers().get("reason")).startsWith("target refused").contains("link-local");
    }

    @Test
    void aDestinationRemovedSinceIsSkipped() throws Exception {
        app = null;
        settle(deliveries(10), onEvent());
        assertThat(produced).isEmpty();
    }

    @Test
    void aFullLaneSendsNewDeliveriesToTheRetryTopicWithoutWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        app = new AppHooks(null, null, (event, meta) -> release.await(), null);
        Deliveries deliveries = deliveries(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        deliveries.dispatch(onEvent(), firstDone::countDown); // takes the lane's only place (at once) and hangs
        settle(deliveries, onEvent());
        assertThat(produced).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.APP_DELIVERIES_RETRY);
            assertThat(Delivery.fromJson(record.value(), SEAL).lastError()).contains("deliveries waiting");
        });
        release.countDown();
        assertThat(firstDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Deliveries deliveries = deliveries(10);
        assertThat(deliveries.backoff(1).toMillis()).isBetween(1_000L, 1_100L);
        assertThat(deliveries.backoff(2).toMillis()).isBetween(2_000L, 2_200L);
        assertThat(deliveries.backoff(3).toMillis()).isBetween(3_000L, 3_300L);
        assertThat(deliveries.backoff(60).toMillis()).isBetween(3_000L, 3_300L);
    }

    @Test
    void aDeliveryRoundTripsThroughItsJson() {
        Delivery delivery = Delivery.request(5, 1, "webhook", "u-1", new WebhookRequest("PATCH",
                URI.create("https://x.example/a?b=c"), Map.of("X-A", "1"), "{\"k\":1}")).next(123, "HTTP 503");
        assertThat(Delivery.fromJson(delivery.toJson(SEAL), SEAL)).isEqualTo(delivery);
        Delivery call = onEvent();
        assertThat(Delivery.fromJson(call.toJson(SEAL), SEAL)).isEqualTo(call);
    }
}
