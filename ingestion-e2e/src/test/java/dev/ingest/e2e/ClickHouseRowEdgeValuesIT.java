package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.kafka.EmbeddedJson;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * TRICKY on ClickHouse 18.16: one row its Kafka table cannot parse blocks that table for good. Every edge value the
 * plugin service can emit goes through ClickHouseRows to the real server, followed by a plain row: all of them must
 * land, which proves the Kafka tables keep moving.
 */
class ClickHouseRowEdgeValuesIT {
    private static final String[] NASTY_STRINGS = {
        "", " ", "\u0000", "null byte \u0000 inside", "quote \" backslash \\ slash / tab \t newline \n cr \r",
        "emoji 🤓👩‍👩‍👧 flag 🇸🇪", "lone high \uD800 surrogate", "lone low \uDC00 surrogate", "right-to-left עברית العربية",
        "control \u0001\u0002\u001f\u007f", "\\u0000 escaped text", "{\"looks\":\"like json\"}", "'single' `back`",
        "x".repeat(200_000)
    };

    @Test
    void everyEdgeValueLandsAndTheKafkaTablesKeepMoving() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        long teamId = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        List<OutgoingRecord> rows = new ArrayList<>();
        List<UUID> uuids = new ArrayList<>();
        for (String nasty : NASTY_STRINGS) {
            UUID uuid = UUID.randomUUID();
            uuids.add(uuid);
            String properties = Json.write(Map.of("value", nasty, "huge", 1e308, "big", new BigInteger("92233720368547758070"),
                    "negative", -1e-300, "nested", Map.of("k", nasty)));
            rows.add(ClickHouseRows.event(new ClickHouseRows.EventRow(uuid, nasty, Json.read(properties), Instant.now(), teamId, nasty,
                    nasty, Instant.now(), UUID.randomUUID(), EmbeddedJson.of(properties), Instant.now(), nasty, true)));
        }
        for (Instant odd : List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("1500-01-01T00:00:00Z"),
                Instant.parse("2105-12-31T23:59:59Z"), Instant.parse("2106-02-07T06:28:16Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("2024-02-29T12:00:00.123456789Z"))) {
            UUID uuid = UUID.randomUUID();
            uuids.add(uuid);
            rows.add(ClickHouseRows.event(new ClickHouseRows.EventRow(uuid, "odd time", Json.object(), odd, teamId, "d", "", odd,
                    UUID.randomUUID(), EmbeddedJson.of("{}"), odd, "full", false)));
        }
        UUID person = UUID.randomUUID();
        rows.add(ClickHouseRows.person(person, teamId, Instant.parse("1500-01-01T00:00:00Z"), "{\"e\":\"🤓\\u0000\"}", true, false,
                Long.MAX_VALUE / 2));
        rows.add(ClickHouseRows.personDistinctId(person, teamId, NASTY_STRINGS[4], Long.MAX_VALUE / 2, false));
        rows.add(ClickHouseRows.group(teamId, 4, NASTY_STRINGS[5], "{}", Instant.EPOCH, 1));
        rows.add(ClickHouseRows.warning(teamId, NASTY_STRINGS[4], Json.write(Map.of("d", NASTY_STRINGS[6])), Instant.EPOCH));
        UUID sentinel = UUID.randomUUID();
        uuids.add(sentinel);
        rows.add(ClickHouseRows.event(new ClickHouseRows.EventRow(sentinel, "sentinel", Json.object(), Instant.now(), teamId, "d", "",
                Instant.now(), UUID.randomUUID(), EmbeddedJson.of("{}"), Instant.now(), "full", false)));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10_000_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (OutgoingRecord row : rows) {
                producer.send(new ProducerRecord<>(row.topic(), row.key(), row.value())).get();
            }
        }

        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String inList = uuids.stream().map(u -> "'" + u + "'").collect(Collectors.joining(","));
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = "
                + teamId + " AND toString(uuid) IN (" + inList + ")"), count -> count == uuids.size(),
                "every edge-value event, and the sentinel after them");
        String team = " WHERE team_id = " + teamId;
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.person" + team)
                + clickhouse.scalarLong("SELECT count() FROM posthog.person_distinct_id2" + team)
                + clickhouse.scalarLong("SELECT count() FROM posthog.groups" + team)
                + clickhouse.scalarLong("SELECT count() FROM posthog.ingestion_warnings" + team), count -> count == 4,
                "the person, distinct id, group and warning rows");
        assertThat(clickhouse.rows("SELECT event FROM posthog.events WHERE toString(uuid) = '" + uuids.get(5) + "'")
                .getFirst().get("event").asString()).isEqualTo(NASTY_STRINGS[5]);
        assertThat(clickhouse.scalarLong("SELECT toYear(min(timestamp)) FROM posthog.events" + team + " AND event = 'odd time'"))
                .as("clamped into what ClickHouse stores").isEqualTo(1970);
    }
}
