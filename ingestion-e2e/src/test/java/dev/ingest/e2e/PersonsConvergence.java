package dev.ingest.e2e;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * One project's persons and distinct ids as PostgreSQL holds them and as each ClickHouse node holds them (read FINAL:
 * the latest version of each row, not deleted; each node keeps a full copy), and whether they are equal.
 */
public final class PersonsConvergence {
    /**
     * @param distinctIds distinct id -> person uuid
     * @param persons person uuid -> "version properties-json"
     */
    public record Persons(Map<String, String> distinctIds, Map<String, String> persons) {
        /** Same distinct ids on the same persons; same persons with the same version and properties (equal as JSON). */
        public boolean sameAs(Persons other) {
            if (!distinctIds.equals(other.distinctIds) || !persons.keySet().equals(other.persons.keySet())) {
                return false;
            }
            for (Map.Entry<String, String> entry : persons.entrySet()) {
                String[] mine = entry.getValue().split(" ", 2);
                String[] theirs = other.persons.get(entry.getKey()).split(" ", 2);
                if (!mine[0].equals(theirs[0]) || !Json.read(mine[1]).equals(Json.read(theirs[1]))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return distinctIds.size() + " distinct ids, " + persons.size() + " persons";
        }
    }

    private PersonsConvergence() {}

    public static Persons postgres(PlatformStores platform, long teamId) {
        return new Persons(
                postgresMap(platform, teamId, "SELECT d.distinct_id, p.uuid::text FROM person_distinct_id d"
                        + " JOIN person p ON p.id = d.person_id WHERE d.team_id = ?"),
                postgresMap(platform, teamId, "SELECT uuid::text, version || ' ' || properties::text FROM person WHERE team_id = ?"));
    }

    public static Persons clickhouse(ClickHouseHttpClient node, long teamId) {
        String team = " team_id = " + teamId;
        return new Persons(
                clickhouseMap(node, "SELECT distinct_id AS k, toString(argMax(person_id, version)) AS v"
                        + " FROM posthog.person_distinct_id2 FINAL WHERE" + team
                        + " GROUP BY distinct_id HAVING argMax(is_deleted, version) = 0"),
                clickhouseMap(node, "SELECT toString(id) AS k, concat(toString(version), ' ', properties) AS v"
                        + " FROM posthog.person FINAL WHERE" + team + " AND is_deleted = 0"));
    }

    /**
     * Waits until every ClickHouse node holds exactly PostgreSQL's persons and distinct ids of the project (both read
     * again on each try) and returns PostgreSQL's; fails naming the last difference seen.
     */
    public static Persons awaitConverged(PlatformStores platform, long teamId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing read yet";
        while (true) {
            try {
                Persons postgres = postgres(platform, teamId);
                String difference = null;
                for (ClickHouseHttpClient node : platform.clickhouseNodes()) {
                    Persons clickhouse = clickhouse(node, teamId);
                    if (!clickhouse.sameAs(postgres)) {
                        difference = node.baseUrl() + " has " + clickhouse + ", PostgreSQL " + postgres
                                + describe(clickhouse, postgres);
                        break;
                    }
                }
                if (difference == null) {
                    return postgres;
                }
                last = difference;
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("persons and distinct ids in ClickHouse did not converge to PostgreSQL's within "
                        + timeout.toSeconds() + " s: " + last);
            }
            sleep();
        }
    }

    private static String describe(Persons clickhouse, Persons postgres) {
        StringBuilder out = new StringBuilder();
        postgres.distinctIds().forEach((id, person) -> {
            if (!person.equals(clickhouse.distinctIds().get(id)) && out.length() < 600) {
                out.append("; distinct id ").append(id).append(": PostgreSQL ").append(person).append(", ClickHouse ")
                        .append(clickhouse.distinctIds().get(id));
            }
        });
        postgres.persons().forEach((uuid, row) -> {
            String other = clickhouse.persons().get(uuid);
            if ((other == null || !new Persons(Map.of(), Map.of(uuid, row)).sameAs(new Persons(Map.of(), Map.of(uuid, other))))
                    && out.length() < 1200) {
                out.append("; person ").append(uuid).append(": PostgreSQL ").append(row).append(", ClickHouse ").append(other);
            }
        });
        return out.toString();
    }

    private static Map<String, String> clickhouseMap(ClickHouseHttpClient node, String sql) {
        Map<String, String> values = new TreeMap<>();
        for (JsonNode row : node.rows(sql)) {
            values.put(row.get("k").asString(), row.get("v").asString());
        }
        return values;
    }

    private static Map<String, String> postgresMap(PlatformStores platform, long teamId, String sql) {
        Map<String, String> values = new TreeMap<>();
        try (Connection connection = platform.postgres(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, teamId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read persons from PostgreSQL", e);
        }
        return values;
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
