package dev.ingest.plugin.person.outbox;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * The {@code clickhouse_outbox} table: ClickHouse rows that committed PostgreSQL writes owe, written in the same
 * transaction as those writes and deleted once Kafka acknowledged them (see {@link OutboxSweeper} for the rows
 * nobody deleted). Every statement is parameterised.
 */
@Repository
public class ClickHouseOutbox {
    private final JdbcTemplate jdbc;

    public ClickHouseOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A row of the outbox: its id and the records to produce (one transaction's). */
    public record Entry(long id, List<OutgoingRecord> records) {}

    /**
     * Inserts these records as one row, inside the caller's transaction; returns its id (none for no records), for
     * the caller to delete once Kafka acknowledged the records.
     */
    public List<Long> append(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Long id = jdbc.queryForObject("INSERT INTO clickhouse_outbox (records) VALUES (?) RETURNING id", Long.class,
                (Object) OutboxCodec.encode(records));
        return List.of(id);
    }

    /** Deletes these rows in one statement; returns how many existed. */
    public int delete(List<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.update("DELETE FROM clickhouse_outbox WHERE id = ANY (?)", (Object) ids.toArray(new Long[0]));
    }

    /**
     * Up to {@code limit} rows older than {@code grace}, oldest first, locked until the caller's transaction ends;
     * rows another sweeper holds are skipped.
     */
    public List<Entry> lockOlderThan(Duration grace, int limit) {
        return jdbc.query("SELECT id, records, topic, key, payload, headers::text AS headers FROM clickhouse_outbox"
                + " WHERE created_at < now() - ?::interval ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, row) -> {
                    byte[] records = rs.getBytes("records");
                    // Rows from before V6 hold a single record in their own columns.
                    return new Entry(rs.getLong("id"), records != null ? OutboxCodec.decode(records)
                            : List.of(new OutgoingRecord(rs.getString("topic"), rs.getString("key"), rs.getBytes("payload"),
                                    headers(rs.getString("headers")))));
                },
                grace.toMillis() + " milliseconds", limit);
    }

    /** How many rows (transactions) the outbox holds (for tests and diagnostics). */
    public long size() {
        return jdbc.queryForObject("SELECT count(*) FROM clickhouse_outbox", Long.class);
    }

    private static Map<String, String> headers(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : Json.read(json).properties()) {
            headers.put(field.getKey(), field.getValue().asString());
        }
        return headers;
    }

    static List<Long> ids(List<Entry> entries) {
        List<Long> ids = new ArrayList<>(entries.size());
        entries.forEach(entry -> ids.add(entry.id()));
        return ids;
    }
}
