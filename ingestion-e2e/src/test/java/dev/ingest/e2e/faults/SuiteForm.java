package dev.ingest.e2e.faults;

import java.time.Duration;

/**
 * How hard the fault suite pushes: the short form runs in CI (./platform test), the full form on demand
 * (./platform faults, which sets {@code FAULT_SUITE_FORM=full}).
 *
 * @param eventsPerSecond the steady load sent to capture during every fault
 * @param outage how long PostgreSQL, Kafka and a ClickHouse shard stay stopped
 * @param backlog how long plugin-service stays stopped while the load runs
 * @param warmup load before the fault is injected
 * @param tail load after every service is healthy again
 * @param moreOverlaps whether to add the overlapping faults beyond the first one
 */
record SuiteForm(String name, double eventsPerSecond, Duration outage, Duration backlog, Duration warmup, Duration tail,
        boolean moreOverlaps) {
    static final SuiteForm SHORT = new SuiteForm("short", 250, Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(2), Duration.ofSeconds(2), false);
    static final SuiteForm FULL = new SuiteForm("full", 500, Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofSeconds(5), true);

    /** {@code -Dfaults.form=full} or {@code FAULT_SUITE_FORM=full} selects the full form; anything else the short one. */
    static SuiteForm fromEnvironment() {
        return "full".equalsIgnoreCase(requestedName()) ? FULL : SHORT;
    }

    /** The form's name as asked for ({@code short} when none was): the cluster suite also knows {@code ci}. */
    static String requestedName() {
        return System.getProperty("faults.form", System.getenv().getOrDefault("FAULT_SUITE_FORM", "short")).trim();
    }

    /** The same form at another rate (the cluster suite runs 18 processes on the same cores). */
    SuiteForm atRate(double rate) {
        return new SuiteForm(name, rate, outage, backlog, warmup, tail, moreOverlaps);
    }
}
