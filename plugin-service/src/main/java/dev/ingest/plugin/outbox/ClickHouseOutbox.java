package dev.ingest.plugin.outbox;

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

    /** A row of the outbox: its id and the record to produce. */
    public record Entry(long id, OutgoingRecord record) {}

    /**
     * Inserts these records in one statement, inside the caller's transaction, and records their ids with the batch
     * open on this thread ({@link OutboxEntries}); returns the ids.
     */
    public List<Long> append(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        int n = records.size();
        String[] topics = new String[n];
        String[] keys = new String[n];
        byte[][] payloads = new byte[n][];
        String[] headers = new String[n];
        for (int i = 0; i < n; i++) {
            OutgoingRecord record = records.get(i);
            topics[i] = record.topic();
            keys[i] = record.key();
            payloads[i] = record.value();
            headers[i] = record.headers().isEmpty() ? null : Json.write(record.headers());
        }
        List<Long> ids = jdbc.queryForList("INSERT INTO clickhouse_outbox (topic, key, payload, headers)"
                + " SELECT t, k, p, h::jsonb FROM unnest(?::text[], ?::text[], ?::bytea[], ?::text[]) AS v(t, k, p, h)"
                + " RETURNING id", Long.class, topics, keys, payloads, headers);
        OutboxEntries.record(ids);
        return ids;
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
        return jdbc.query("SELECT id, topic, key, payload, headers::text AS headers FROM clickhouse_outbox"
                + " WHERE created_at < now() - ?::interval ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, row) -> new Entry(rs.getLong("id"), new OutgoingRecord(rs.getString("topic"), rs.getString("key"),
                        rs.getBytes("payload"), headers(rs.getString("headers")))),
                grace.toMillis() + " milliseconds", limit);
    }

    /** How many rows the outbox holds (for tests and diagnostics). */
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
