package dev.ingest.plugin.definition;

import dev.ingest.plugin.definition.DefinitionBatch.EventKey;
import dev.ingest.plugin.definition.DefinitionBatch.EventPropertyKey;
import dev.ingest.plugin.definition.DefinitionBatch.PropertyKey;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The definitions tables (migration V13): upserts, in one transaction, rows sorted so that two writers lock them in
 * the same order.
 */
public final class DefinitionRepository {
    /** A property definition to write: its key, the detected type (or null) and whether it is numerical. */
    public record PropertyRow(PropertyKey key, String propertyType, boolean numerical) {}

    private static final String EVENT_UPSERT = "INSERT INTO event_definition (id, team_id, name, last_seen_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, name)"
            + " DO UPDATE SET last_seen_at = GREATEST(event_definition.last_seen_at, EXCLUDED.last_seen_at)";
    // A type is set once: a later value of another type does not change it (PostHog's rule).
    private static final String PROPERTY_UPSERT = "INSERT INTO property_definition"
            + " (id, team_id, name, type, group_type_index, property_type, is_numerical) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (team_id, type, COALESCE(group_type_index, -1), name) DO UPDATE"
            + " SET property_type = EXCLUDED.property_type, is_numerical = EXCLUDED.is_numerical"
            + " WHERE property_definition.property_type IS NULL AND EXCLUDED.property_type IS NOT NULL";
    private static final String PAIR_INSERT = "INSERT INTO event_property (team_id, event, property) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public DefinitionRepository(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public void write(List<EventKey> events, List<PropertyRow> properties, List<EventPropertyKey> pairs, Instant seenAt) {
        List<EventKey> sortedEvents = events.stream()
                .sorted(Comparator.comparingLong(EventKey::teamId).thenComparing(EventKey::name)).toList();
        List<PropertyRow> sortedProperties = properties.stream().sorted(Comparator
                .comparingLong((PropertyRow row) -> row.key().teamId()).thenComparingInt(row -> row.key().type())
                .thenComparingInt(row -> row.key().groupTypeIndex()).thenComparing(row -> row.key().name())).toList();
        List<EventPropertyKey> sortedPairs = pairs.stream().sorted(Comparator.comparingLong(EventPropertyKey::teamId)
                .thenComparing(EventPropertyKey::event).thenComparing(EventPropertyKey::property)).toList();
        Timestamp seen = Timestamp.from(seenAt);
        transactions.executeWithoutResult(status -> {
            if (!sortedEvents.isEmpty()) {
                jdbc.batchUpdate(EVENT_UPSERT, sortedEvents, sortedEvents.size(), (statement, event) -> {
                    statement.setObject(1, UUID.randomUUID());
                    statement.setLong(2, event.teamId());
                    statement.setString(3, event.name());
                    statement.setTimestamp(4, seen);
                });
            }
            if (!sortedProperties.isEmpty()) {
                jdbc.batchUpdate(PROPERTY_UPSERT, sortedProperties, sortedProperties.size(), (statement, row) -> {
                    statement.setObject(1, UUID.randomUUID());
                    statement.setLong(2, row.key().teamId());
                    statement.setString(3, row.key().name());
                    statement.setInt(4, row.key().type());
                    if (row.key().groupTypeIndex() < 0) {
                        statement.setNull(5, Types.SMALLINT);
                    } else {
                        statement.setInt(5, row.key().groupTypeIndex());
                    }
                    statement.setString(6, row.propertyType());
                    statement.setBoolean(7, row.numerical());
                });
            }
            if (!sortedPairs.isEmpty()) {
                jdbc.batchUpdate(PAIR_INSERT, sortedPairs, sortedPairs.size(), (statement, pair) -> {
                    statement.setLong(1, pair.teamId());
                    statement.setString(2, pair.event());
                    statement.setString(3, pair.property());
                });
            }
        });
    }
}
