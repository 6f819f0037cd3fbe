package dev.ingest.plugin.destination;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppHooks;
import dev.ingest.plugin.apps.AppRegistry;
import dev.ingest.plugin.apps.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plans the deliveries of one stored event (a clickhouse_events_json record, so its ClickHouse message is already
 * acknowledged): one per destination of the project that wants it. The team comes from the record's
 * {@code team_id} header when present, so events of projects without destinations are never parsed. A composer
 * that throws dead-letters that event for that destination, with the reason.
 */
public final class EventDestinationsPlanner implements DeliveryConsumer.Planner {
    private static final Logger log = LoggerFactory.getLogger(EventDestinationsPlanner.class);

    private final AppRegistry registry;
    private final Deliveries deliveries;

    public EventDestinationsPlanner(AppRegistry registry, Deliveries deliveries) {
        this.registry = registry;
        this.deliveries = deliveries;
    }

    @Override
    public List<Consumer<Runnable>> plan(ConsumerRecord<String, byte[]> record) {
        JsonNode row = null;
        long teamId;
        Header teamHeader = record.headers().lastHeader("team_id");
        try {
            if (teamHeader != null) {
                teamId = Long.parseLong(new String(teamHeader.value(), StandardCharsets.UTF_8));
            } else {
                row = ProcessedEvent.readRow(record.value());
                teamId = ProcessedEvent.teamId(row);
            }
        } catch (IllegalArgumentException e) {
            log.warn("skipping an unreadable clickhouse_events_json record at {}-{}@{}: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return List.of();
        }
        List<AppRegistry.ConfiguredApp> destinations = registry.destinationsFor(teamId);
        if (destinations.isEmpty()) {
            return List.of();
        }
        ObjectNode event;
        try {
            event = ProcessedEvent.fromRow(row != null ? row : ProcessedEvent.readRow(record.value()));
        } catch (IllegalArgumentException e) {
            log.warn("skipping an unreadable clickhouse_events_json record at {}-{}@{}: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return List.of();
        }
        String uuid = event.path("uuid").asString("");
        String distinctId = event.path("distinct_id").asString("");
        List<Consumer<Runnable>> starts = new ArrayList<>(destinations.size());
        for (AppRegistry.ConfiguredApp destination : destinations) {
            long id = destination.config().id();
            String app = destination.name();
            AppHooks hooks = destination.hooks();
            if (hooks.onEvent() != null) {
                Delivery delivery = Delivery.onEvent(id, teamId, app, uuid, event.deepCopy());
                starts.add(done -> deliveries.dispatch(delivery, done));
            }
            if (hooks.composeWebhook() != null) {
                Optional<WebhookRequest> request;
                try {
                    request = hooks.composeWebhook().composeWebhook(event.deepCopy(),
                            new AppContext(teamId, app, id, uuid, distinctId));
                } catch (RuntimeException | StackOverflowError e) {
                    Delivery failed = Delivery.onEvent(id, teamId, app, uuid, event.deepCopy());
                    String reason = "composeWebhook failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    starts.add(done -> deliveries.deadLetter(failed, reason, done));
                    continue;
                }
                request.ifPresent(r -> {
                    Delivery delivery = Delivery.request(id, teamId, app, uuid, r);
                    starts.add(done -> deliveries.dispatch(delivery, done));
                });
            }
        }
        return starts;
    }
}
