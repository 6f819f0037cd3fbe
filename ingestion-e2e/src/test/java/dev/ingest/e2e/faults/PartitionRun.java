package dev.ingest.e2e.faults;

import dev.ingest.e2e.PersonsConvergence;
import dev.ingest.e2e.TestingPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the network partition of a plugin-service instance must not break, on a project of its own: {@link #USERS}
 * users each send, step after step, {@code $set {step: k}} and, every {@link #IDENTIFY_EVERY} steps, an identify that
 * adds a new anonymous id to their person. A step is sent only once the previous one was acknowledged, so Kafka holds
 * every user's events in the order of their steps (one user's events are keyed to one partition), and the newest
 * step is always the right value. A watcher reads PostgreSQL every {@link #WATCH_EVERY} and records every time a
 * user's {@code step} decreased, its person changed, or its person lost a distinct id: what a stale write from the
 * cut-off instance would do once it reached PostgreSQL again. The check at the end wants every user at its last step
 * with all its distinct ids, ClickHouse equal to PostgreSQL on every node, every event stored once, and no
 * regression seen.
 */
final class PartitionRun {
    static final int USERS = 40;
    static final int IDENTIFY_EVERY = 5;
    private static final Duration WATCH_EVERY = Duration.ofMillis(200);
    private static final Duration PAUSE = Duration.ofMillis(150);
    private static final Duration DEADLINE = Duration.ofSeconds(240);

    /** What the watcher last saw of one user. */
    private record Seen(String person, long step, int distinctIds) {}

    private final ClusterDeployment cluster;
    private final TestingPlatform.TestProject project;
    private final BatchSender sender;
    private final AtomicInteger acknowledgedStep = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final List<String> regressions = new CopyOnWriteArrayList<>();
    private final AtomicInteger regressionCount = new AtomicInteger();
    private final AtomicInteger watchErrors = new AtomicInteger();
    private Thread writer;
    private Thread watcher;
    private volatile Exception writerFailure;

    PartitionRun(ClusterDeployment cluster) {
        this.cluster = cluster;
        this.project = cluster.createProject("network partition");
        this.sender = new BatchSender(cluster.captureUrl(), project.token());
    }

    static String user(int u) {
        return "partition-user-" + u;
    }

    static String anonymous(int u, int step) {
        return "partition-anon-" + u + "-" + step;
    }

    /** The events of one step, every user's, in the order they are sent. */
    static List<String> step(int k) {
        List<String> events = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            events.add(event("$set", user(u), "\"$set\":{\"step\":" + k + "}"));
        }
        if (k % IDENTIFY_EVERY == 0) {
            for (int u = 0; u < USERS; u++) {
                events.add(event("$identify", user(u), "\"$anon_distinct_id\":\"" + anonymous(u, k) + "\""));
            }
        }
        return events;
    }

    /** The events sent up to and including step k. */
    static long eventsUpTo(int k) {
        return (long) USERS * (k + k / IDENTIFY_EVERY);
    }

    private static String event(String name, String distinctId, String properties) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"properties\":{" + properties + "}}";
    }

    void start() {
        writer = Thread.ofVirtual().name("partition-writer").start(() -> {
            try {
                for (int k = 1; writing.get(); k++) {
                    sender.sendUntilAcknowledged(step(k));
                    acknowledgedStep.set(k);
                    Thread.sleep(PAUSE);
                }
            } catch (Exception e) {
                writerFailure = e;
            }
        });
        watcher = Thread.ofVirtual().name("partition-watcher").start(this::watch);
    }

    /** Waits until the writer has had {@code steps} more steps acknowledged. */
    void awaitSteps(int steps) throws InterruptedException {
        int target = acknowledgedStep.get() + steps;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (acknowledgedStep.get() < target && writerFailure == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Stops the writer; returns the last step acknowledged. */
    int stopWriting() throws InterruptedException {
        writing.set(false);
        writer.join(DEADLINE);
        return acknowledgedStep.get();
    }

    private void watch() {
        Map<String, Seen> last = new HashMap<>();
        while (watching.get()) {
            try {
                for (Map.Entry<String, Seen> now : read().entrySet()) {
                    Seen before = last.put(now.getKey(), now.getValue());
                    if (before != null) {
                        compare(now.getKey(), before, now.getValue());
                    }
                }
            } catch (SQLException e) {
                watchErrors.incrementAndGet();
            }
            FaultRig.sleep(WATCH_EVERY);
        }
    }

    private void compare(String user, Seen before, Seen now) {
        String what = null;
        if (now.step() < before.step()) {
            what = "step went from " + before.step() + " back to " + now.step();
        } else if (!now.person().equals(before.person())) {
            what = "moved from person " + before.person() + " to " + now.person();
        } else if (now.distinctIds() < before.distinctIds()) {
            what = "its person went from " + before.distinctIds() + " distinct ids back to " + now.distinctIds();
        }
        if (what != null && regressionCount.incrementAndGet() <= 5) {
            regressions.add(user + ": " + what);
        }
    }

    /** Every user's person, step and number of distinct ids, as PostgreSQL holds them now. */
    private Map<String, Seen> read() throws SQLException {
        Map<String, Seen> seen = new HashMap<>();
        try (Connection connection = cluster.postgres(); PreparedStatement statement = connection.prepareStatement(
                "SELECT d.distinct_id, p.uuid::text, COALESCE((p.properties->>'step')::bigint, 0),"
                        + " (SELECT count(*) FROM person_distinct_id o WHERE o.person_id = p.id)"
                        + " FROM person_distinct_id d JOIN person p ON p.id = d.person_id"
                        + " WHERE d.team_id = ? AND d.distinct_id LIKE 'partition-user-%'")) {
            statement.setLong(1, project.id());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getString(1), new Seen(rs.getString(2), rs.getLong(3), rs.getInt(4)));
                }
            }
        }
        return seen;
    }

    /**
     * Once everything settled: every user at the last step with its identifies' distinct ids, no regression seen on
     * the way, ClickHouse equal to PostgreSQL, every event stored once.
     */
    void check(int lastStep, List<String> notes) {
        try {
            checkSettled(lastStep, notes);
        } finally {
            watching.set(false);
        }
    }

    private void checkSettled(int lastStep, List<String> notes) {
        if (writerFailure != null) {
            FaultRig.problem(notes, "partition writer failed: " + writerFailure);
            return;
        }
        int distinctIds = 1 + lastStep / IDENTIFY_EVERY;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String wrong = "nothing read";
        while (wrong != null && System.nanoTime() < deadline) {
            wrong = differenceFromLast(lastStep, distinctIds);
            if (wrong != null) {
                FaultRig.sleep(Duration.ofSeconds(1));
            }
        }
        // One more round of the watcher after the last read, so a write that arrived late is seen too.
        FaultRig.sleep(WATCH_EVERY.multipliedBy(3));
        if (wrong != null) {
            FaultRig.problem(notes, "partition: PostgreSQL does not hold every user's last step " + lastStep + " and "
                    + distinctIds + " distinct ids: " + wrong);
        }
        if (regressionCount.get() > 0) {
            FaultRig.problem(notes, "partition: " + regressionCount.get() + " regressions in PostgreSQL, e.g. " + regressions);
        }
        try {
            PersonsConvergence.awaitConverged(cluster, project.id(), DEADLINE);
        } catch (AssertionError e) {
            FaultRig.problem(notes, "partition: " + e.getMessage());
        }
        long events = eventsUpTo(lastStep);
        long stored = 0;
        long finalRows = 0;
        long eventsDeadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < eventsDeadline) {
            stored = cluster.clickhouse().scalarLong("SELECT uniqExact(uuid) FROM posthog.events WHERE team_id = " + project.id());
            finalRows = cluster.clickhouse().scalarLong("SELECT count() FROM posthog.events FINAL WHERE team_id = " + project.id());
            if (stored == events && finalRows == events) {
                break;
            }
            FaultRig.sleep(Duration.ofSeconds(1));
        }
        if (stored != events || finalRows != events) {
            FaultRig.problem(notes, "partition: " + events + " events acknowledged, " + stored + " stored, " + finalRows
                    + " rows under FINAL");
        }
        notes.add("partition: " + USERS + " users written up to step " + lastStep + " (" + events + " events); PostgreSQL"
                + " read every " + WATCH_EVERY.toMillis() + " ms, " + regressionCount.get() + " regressions, "
                + watchErrors.get() + " failed reads");
    }

    private String differenceFromLast(int lastStep, int distinctIds) {
        Map<String, Seen> now;
        try {
            now = read();
        } catch (SQLException e) {
            return e.getMessage();
        }
        if (now.size() != USERS) {
            return now.size() + " of " + USERS + " users found";
        }
        for (Map.Entry<String, Seen> user : now.entrySet()) {
            Seen seen = user.getValue();
            if (seen.step() != lastStep || seen.distinctIds() != distinctIds) {
                return user.getKey() + " at step " + seen.step() + " with " + seen.distinctIds() + " distinct ids";
            }
        }
        return null;
    }
}
