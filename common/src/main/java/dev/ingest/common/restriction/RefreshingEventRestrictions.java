package dev.ingest.common.restriction;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The restrictions of table {@code event_restriction}, re-read every {@code refresh} on a thread of its own, so a
 * change applies within that time without a restart. When PostgreSQL cannot answer, the last snapshot stays in force
 * (a restriction against a flood must not lapse because the database is slow); before the first read there is none.
 */
public final class RefreshingEventRestrictions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshingEventRestrictions.class);
    private static final String QUERY = "SELECT r.id, r.team_id, t.api_token, r.restriction_type, r.distinct_ids,"
            + " r.session_ids, r.event_names, r.event_uuids FROM event_restriction r JOIN team t ON t.id = r.team_id"
            + " ORDER BY r.id";

    private final JdbcTemplate jdbc;
    private final Duration refresh;
    private final ScheduledExecutorService timer;
    private volatile EventRestrictions current = EventRestrictions.NONE;

    public RefreshingEventRestrictions(JdbcTemplate jdbc, Duration refresh) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, not " + refresh);
        }
        this.refresh = refresh;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("event-restrictions")
                .factory());
    }

    /** Reads once now (failing quietly), then every {@code refresh}. */
    public RefreshingEventRestrictions start() {
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public EventRestrictions current() {
        return current;
    }

    /** Reads the table now; throws what PostgreSQL throws. */
    public EventRestrictions refresh() {
        List<EventRestriction> rows = jdbc.query(QUERY, (rs, n) -> row(rs));
        current = new EventRestrictions(rows.stream().filter(Objects::nonNull).toList());
        return current;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("could not read the event restrictions; the last ones read stay in force: {}", e.toString());
        }
    }

    private static EventRestriction row(ResultSet rs) throws SQLException {
        String stored = rs.getString("restriction_type");
        var type = EventRestriction.Type.of(stored);
        if (type.isEmpty()) {
            log.warn("event restriction {} has the unknown type {}; ignored", rs.getLong("id"), stored);
            return null;
        }
        return new EventRestriction(rs.getLong("id"), rs.getLong("team_id"), rs.getString("api_token"), type.get(),
                strings(rs.getArray("distinct_ids")), strings(rs.getArray("session_ids")),
                strings(rs.getArray("event_names")), strings(rs.getArray("event_uuids")));
    }

    private static Set<String> strings(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        Object[] values = (Object[]) array.getArray();
        Set<String> set = new HashSet<>();
        for (Object value : values) {
            if (value != null) {
                set.add(value.toString());
            }
        }
        return set;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
