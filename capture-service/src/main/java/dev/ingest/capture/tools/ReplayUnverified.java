package dev.ingest.capture.tools;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.TopicReplayer;
import dev.ingest.common.kafka.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * {@code ./platform replay-unverified}: events capture accepted while PostgreSQL could not tell whether their token
 * is known wait on capture_events_dead_letter. This sends them on to the ingestion topic with their team_id once
 * PostgreSQL answers; events whose token no project has go on without one, and the plugin service drops them with
 * the counted cause invalid_token, as it does for every unknown token. Without PostgreSQL the run stops and commits
 * nothing. Reads KAFKA_BOOTSTRAP_SERVERS, POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD.
 */
public final class ReplayUnverified {
    public static final String GROUP_ID = "capture-unverified-replay";

    private ReplayUnverified() {}

    public static TopicReplayer.Summary run(String bootstrapServers, String postgresUrl, String user, String password)
            throws Exception {
        try (Connection connection = DriverManager.getConnection(postgresUrl, user, password);
                PreparedStatement lookup = connection.prepareStatement("SELECT id FROM team WHERE api_token = ?")) {
            Map<String, Long> teams = new HashMap<>();
            return new TopicReplayer(bootstrapServers, GROUP_ID).replay(Topics.CAPTURE_EVENTS_DEAD_LETTER, record -> {
                CapturedEvent event = Json.read(record.value(), CapturedEvent.class);
                Long teamId = teams.computeIfAbsent(event.token(), token -> teamOf(lookup, token));
                CapturedEvent verified = new CapturedEvent(event.uuid(), event.distinctId(), event.ip(), event.data(), event.now(),
                        event.sentAt(), event.token(), teamId == null || teamId < 0 ? null : teamId, event.event(),
                        event.cookielessMode(), event.historicalMigration());
                String topic = Boolean.TRUE.equals(event.historicalMigration())
                        ? Topics.EVENTS_PLUGIN_INGESTION_HISTORICAL : Topics.EVENTS_PLUGIN_INGESTION;
                ProducerRecord<String, byte[]> replay = new ProducerRecord<>(topic, record.key(), Json.writeBytes(verified));
                for (Header header : record.headers()) {
                    replay.headers().add(header);
                }
                return Optional.of(replay);
            });
        }
    }

    /** The team of a token, or -1 when no project has it; a database error stops the run (nothing committed). */
    private static Long teamOf(PreparedStatement lookup, String token) {
        try {
            lookup.setString(1, token);
            try (ResultSet rs = lookup.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is unavailable; nothing replayed past this point", e);
        }
    }

    public static void main(String[] args) throws Exception {
        var env = System.getenv();
        TopicReplayer.Summary summary = run(env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                env.getOrDefault("POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/posthog"),
                env.getOrDefault("POSTGRES_USER", "posthog"), env.getOrDefault("POSTGRES_PASSWORD", ""));
        System.out.println("replayed " + summary.replayed() + " of " + summary.read() + " events from "
                + Topics.CAPTURE_EVENTS_DEAD_LETTER);
    }
}
