package dev.ingest.e2e.faults;

import dev.ingest.common.json.Json;
import dev.ingest.e2e.PersonsConvergence;
import dev.ingest.e2e.TestingPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Sends an {@link IdentifyStorm} to a project of its own through the public address, as SDKs do (batches of 20,
 * several at once, each retried until acknowledged), and then checks its outcome against the storm's expected
 * persons: in PostgreSQL, on every ClickHouse node, and every event stored once.
 */
final class StormRun {
    private static final int BATCH = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(240);

    private final ClusterDeployment cluster;
    private final IdentifyStorm storm;
    private final TestingPlatform.TestProject project;
    private final BatchSender sender;

    StormRun(ClusterDeployment cluster, IdentifyStorm storm) {
        this.cluster = cluster;
        this.storm = storm;
        this.project = cluster.createProject("identify storm");
        this.sender = new BatchSender(cluster.captureUrl(), project.token());
    }

    /** Sends the browsing, waits until its persons exist, then sends the storm; returns requests that needed a retry. */
    long send() throws Exception {
        long retried = sendAll(storm.browsing());
        awaitBrowsingPersons();
        return retried + sendAll(storm.storm());
    }

    private long sendAll(List<IdentifyStorm.StormEvent> events) throws Exception {
        List<Future<Integer>> requests = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            for (int i = 0; i < events.size(); i += BATCH) {
                List<IdentifyStorm.StormEvent> batch = events.subList(i, Math.min(events.size(), i + BATCH));
                requests.add(senders.submit(() -> sender.sendUntilAcknowledged(
                        batch.stream().map(IdentifyStorm.StormEvent::json).toList())));
            }
        }
        long retried = 0;
        for (Future<Integer> request : requests) {
            retried += request.get();
        }
        return retried;
    }

    private void awaitBrowsingPersons() throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int expected = storm.browsing().size();
        while (System.nanoTime() < deadline && personsByDistinctId().size() < expected) {
            Thread.sleep(500);
        }
    }

    /**
     * Checks the outcome once every event was sent: waits (bounded) until PostgreSQL holds exactly the storm's
     * persons, then until every ClickHouse node holds PostgreSQL's, and until every storm event is stored once.
     */
    void check(List<String> notes) {
        Set<Set<String>> expected = new HashSet<>(storm.expectedDistinctIds().values());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = "nothing read";
        while (true) {
            Map<String, Set<String>> persons = distinctIdsByPerson();
            last = difference(expected, persons);
            if (last == null || System.nanoTime() > deadline) {
                break;
            }
            FaultRig.sleep(Duration.ofSeconds(1));
        }
        if (last != null) {
            FaultRig.problem(notes, "identify storm: PostgreSQL's persons are not the expected ones: " + last);
            return;
        }
        try {
            PersonsConvergence.awaitConverged(cluster, project.id(), DEADLINE);
        } catch (AssertionError e) {
            FaultRig.problem(notes, "identify storm: " + e.getMessage());
            return;
        }
        long events = storm.browsing().size() + storm.storm().size();
        long stored = 0;
        long finalRows = 0;
        while (System.nanoTime() < deadline + DEADLINE.toNanos()) {
            stored = cluster.clickhouse().scalarLong("SELECT uniqExact(uuid) FROM posthog.events WHERE team_id = " + project.id());
            finalRows = cluster.clickhouse().scalarLong("SELECT count() FROM posthog.events FINAL WHERE team_id = " + project.id());
            if (stored == events) {
                break;
            }
            FaultRig.sleep(Duration.ofSeconds(1));
        }
        if (stored != events || finalRows != events) {
            FaultRig.problem(notes, "identify storm: " + events + " events sent and acknowledged, " + stored + " stored, "
                    + finalRows + " rows under FINAL");
            return;
        }
        notes.add("identify storm: " + expected.size() + " users x " + IdentifyStorm.ANONYMOUS_IDS + " anonymous ids merged"
                + " across instances into exactly the expected persons, equal on every ClickHouse node; " + events
                + " events stored once");
    }

    /** Null when the persons are exactly the expected ones with every expected property; else what differs. */
    private String difference(Set<Set<String>> expected, Map<String, Set<String>> persons) {
        Set<Set<String>> actual = new HashSet<>(persons.values());
        if (!actual.equals(expected)) {
            Set<Set<String>> missing = new HashSet<>(expected);
            missing.removeAll(actual);
            Set<Set<String>> unexpected = new HashSet<>(actual);
            unexpected.removeAll(expected);
            return persons.size() + " persons; e.g. expected " + missing.stream().limit(3).toList() + ", found "
                    + unexpected.stream().limit(3).toList();
        }
        for (Map.Entry<String, JsonNode> person : propertiesByPerson().entrySet()) {
            for (Map.Entry<String, Integer> property : IdentifyStorm.expectedProperties().entrySet()) {
                JsonNode value = person.getValue().get(property.getKey());
                if (value == null || value.asInt() != property.getValue()) {
                    return "person " + person.getKey() + " has properties " + person.getValue();
                }
            }
        }
        return null;
    }

    private Map<String, String> personsByDistinctId() {
        Map<String, String> persons = new HashMap<>();
        query("SELECT d.distinct_id, p.uuid::text FROM person_distinct_id d JOIN person p ON p.id = d.person_id"
                + " WHERE d.team_id = ?", (id, person) -> persons.put(id, person));
        return persons;
    }

    private Map<String, Set<String>> distinctIdsByPerson() {
        Map<String, Set<String>> persons = new HashMap<>();
        personsByDistinctId().forEach((id, person) -> persons.computeIfAbsent(person, p -> new HashSet<>()).add(id));
        return persons;
    }

    private Map<String, JsonNode> propertiesByPerson() {
        Map<String, JsonNode> properties = new HashMap<>();
        query("SELECT uuid::text, properties::text FROM person WHERE team_id = ?",
                (person, json) -> properties.put(person, Json.read(json)));
        return properties;
    }

    private void query(String sql, BiConsumer<String, String> row) {
        try (Connection connection = cluster.postgres(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, project.id());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the storm's persons", e);
        }
    }
}
