package dev.ingest.clickhouse.overrides;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Folds person overrides into the events (docs/posthog-compatibility.md#persons-on-events-after-merges), as PostHog's
 * squash job does: a snapshot of the overrides older than {@code grace}, an {@code ALTER TABLE sharded_events UPDATE
 * person_id} on every shard for their distinct ids, and once every shard finished, the deletion of exactly the
 * squashed rows (same distinct id, version at most the squashed one).
 *
 * <p>Safe to run twice or concurrently with itself: the updates set the same values again and the deletes spare
 * newer overrides, which the next run squashes. Safe with ingestion: events processed after a merge already carry the
 * new person; {@code grace} covers events processed before the merge that reach ClickHouse late (a mutation rewrites
 * only the parts that exist when it starts), so it must exceed how long an event can wait between the plugin service
 * and ClickHouse. A run that fails or times out deletes nothing: its overrides stay and the next run repeats it.
 */
public final class PersonOverridesSquash {
    /** Distinct ids per mutation: the mapping is a multiIf over them. */
    static final int IDS_PER_MUTATION = 200;

    /** One squashed override: the person the distinct id's events get, and the version that decided it. */
    record Override(long teamId, String distinctId, UUID personId, long version) {}

    /** What a run did. */
    public record Result(int overrides, int mutations) {}

    private final List<ClickHouseHttpClient> nodes;
    private final String database;
    private final Duration grace;
    private final Duration mutationTimeout;
    private final int maxOverrides;
    private final Consumer<String> log;

    /**
     * @param nodes one client per shard (every node holds a full copy of the overrides)
     * @param maxOverrides at most this many overrides per run (the oldest remain for the next)
     */
    public PersonOverridesSquash(List<ClickHouseHttpClient> nodes, String database, Duration grace,
            Duration mutationTimeout, int maxOverrides, Consumer<String> log) {
        this.nodes = List.copyOf(nodes);
        this.database = Objects.requireNonNull(database, "database is null");
        this.grace = Objects.requireNonNull(grace, "grace is null");
        this.mutationTimeout = Objects.requireNonNull(mutationTimeout, "mutationTimeout is null");
        this.maxOverrides = maxOverrides;
        this.log = Objects.requireNonNull(log, "log is null");
        if (this.nodes.isEmpty() || !database.matches("\\w+")) {
            throw new IllegalArgumentException("the squash needs at least one node and a plain database name");
        }
    }

    /** Squashes every project's overrides. */
    public Result run() throws InterruptedException {
        return squash(snapshot(""));
    }

    /** Squashes one project's overrides only (an operator's repair, or a test beside other projects' traffic). */
    public Result runFor(long teamId) throws InterruptedException {
        return squash(snapshot(" WHERE team_id = " + teamId));
    }

    private Result squash(List<Override> overrides) throws InterruptedException {
        if (overrides.isEmpty()) {
            return new Result(0, 0);
        }
        int mutations = 0;
        for (List<Override> chunk : chunks(overrides)) {
            String update = "ALTER TABLE " + database + ".sharded_events UPDATE person_id = " + mapping(chunk)
                    + " WHERE team_id = " + chunk.getFirst().teamId() + " AND distinct_id IN (" + ids(chunk) + ")";
            for (ClickHouseHttpClient node : nodes) {
                node.execute(update);
                mutations++;
            }
        }
        // TRICKY: a replicated table lists a new mutation in system.mutations only once the replica has pulled it from
        // ZooKeeper, so "no mutation pending" right after the ALTER proves nothing: wait for the data itself.
        for (ClickHouseHttpClient node : nodes) {
            for (List<Override> chunk : chunks(overrides)) {
                awaitNone(node, "SELECT count() FROM " + database + ".sharded_events WHERE team_id = " + chunk.getFirst().teamId()
                        + " AND distinct_id IN (" + ids(chunk) + ") AND person_id != " + mapping(chunk), "events rewritten");
            }
        }
        List<ClickHouseHttpClient> deleteOn = replicated() ? List.of(nodes.getFirst()) : nodes;
        for (List<Override> chunk : chunks(overrides)) {
            StringBuilder squashed = new StringBuilder();
            for (Override override : chunk) {
                squashed.append(squashed.isEmpty() ? "" : " OR ").append("(distinct_id = ")
                        .append(ClickHouseHttpClient.quote(override.distinctId())).append(" AND version <= ")
                        .append(override.version()).append(')');
            }
            String where = " WHERE team_id = " + chunk.getFirst().teamId() + " AND (" + squashed + ")";
            for (ClickHouseHttpClient node : deleteOn) {
                node.execute("ALTER TABLE " + database + ".person_distinct_id_overrides DELETE" + where);
            }
            for (ClickHouseHttpClient node : nodes) {
                awaitNone(node, "SELECT count() FROM " + database + ".person_distinct_id_overrides" + where, "overrides retired");
            }
        }
        log.accept("squashed " + overrides.size() + " person overrides into the events of " + nodes.size() + " shard(s)");
        return new Result(overrides.size(), mutations);
    }

    /** Each distinct id's latest override, if its newest row is older than the grace period. */
    private List<Override> snapshot(String where) {
        List<Override> overrides = new ArrayList<>();
        for (JsonNode row : nodes.getFirst().rows("SELECT team_id, distinct_id, toString(argMax(person_id, version))"
                + " AS person, max(version) AS squashed_version FROM " + database + ".person_distinct_id_overrides" + where
                + " GROUP BY team_id, distinct_id HAVING max(_timestamp) <= now() - " + grace.toSeconds()
                + " ORDER BY team_id, distinct_id LIMIT " + maxOverrides)) {
            overrides.add(new Override(row.get("team_id").asLong(), row.get("distinct_id").asString(),
                    UUID.fromString(row.get("person").asString()), row.get("squashed_version").asLong()));
        }
        return overrides;
    }

    /** Overrides grouped by project, at most {@link #IDS_PER_MUTATION} per group. */
    static List<List<Override>> chunks(List<Override> overrides) {
        Map<Long, List<Override>> byTeam = new LinkedHashMap<>();
        overrides.forEach(override -> byTeam.computeIfAbsent(override.teamId(), team -> new ArrayList<>()).add(override));
        List<List<Override>> chunks = new ArrayList<>();
        for (List<Override> team : byTeam.values()) {
            for (int i = 0; i < team.size(); i += IDS_PER_MUTATION) {
                chunks.add(team.subList(i, Math.min(team.size(), i + IDS_PER_MUTATION)));
            }
        }
        return chunks;
    }

    /** {@code multiIf(distinct_id = 'a', toUUID('...'), ..., person_id)}: each id's person, anything else unchanged. */
    static String mapping(List<Override> chunk) {
        StringBuilder mapping = new StringBuilder("multiIf(");
        for (Override override : chunk) {
            mapping.append("distinct_id = ").append(ClickHouseHttpClient.quote(override.distinctId())).append(", toUUID('")
                    .append(override.personId()).append("'), ");
        }
        return mapping.append("person_id)").toString();
    }

    private static String ids(List<Override> chunk) {
        StringBuilder ids = new StringBuilder();
        for (Override override : chunk) {
            ids.append(ids.isEmpty() ? "" : ", ").append(ClickHouseHttpClient.quote(override.distinctId()));
        }
        return ids.toString();
    }

    /** Whether the overrides table replicates itself to every node (then one node's delete reaches all). */
    private boolean replicated() {
        return nodes.getFirst().rows("SELECT engine FROM system.tables WHERE database = " + ClickHouseHttpClient.quote(database)
                + " AND name = 'person_distinct_id_overrides'").stream()
                .anyMatch(row -> row.get("engine").asString().startsWith("Replicated"));
    }

    /**
     * Waits until {@code countQuery} counts nothing on the node. An event of a squashed distinct id that still names
     * another person after the deadline (its mutation failed, or it was processed before the merge and stored after the
     * mutation began) stops the run before anything is deleted: the next run rewrites it.
     */
    private void awaitNone(ClickHouseHttpClient node, String countQuery, String what) throws InterruptedException {
        long deadline = System.nanoTime() + mutationTimeout.toNanos();
        while (node.scalarLong(countQuery) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " on " + node.baseUrl() + " not seen within " + mutationTimeout
                        + "; the next run repeats this one");
            }
            Thread.sleep(200);
        }
    }
}
