package dev.ingest.clickhouse.schema;

/**
 * The two ClickHouse generations the schema must run on, and every place where their SQL differs. The schema
 * stays in the subset both understand; this enum is the one place that renders what they disagree on.
 */
public enum ServerGeneration {
    /** Debian's 18.16: no DateTime64, no Kafka virtual columns, Kafka settings only as engine arguments. */
    LEGACY,
    /** 20.1 and later (the docker-compose image): DateTime64 and the {@code _offset} virtual column exist. */
    MODERN;

    public static ServerGeneration of(String version) {
        String major = version.trim().split("\\.")[0];
        try {
            return Integer.parseInt(major) < 20 ? LEGACY : MODERN;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unrecognised ClickHouse version: " + version, e);
        }
    }

    /** The column type of event timestamps: microseconds where the server has them, seconds on 18.16. */
    public String eventTimestampType() {
        return switch (this) {
            case LEGACY -> "DateTime";
            case MODERN -> "DateTime64(6, 'UTC')";
        };
    }

    /**
     * Turns a {@code 'YYYY-MM-DD hh:mm:ss[.ffffff]'} text column of a Kafka table into the timestamp type.
     * TRICKY: on 18.16 a JSON DateTime field accepts neither fractions nor zones, so Kafka tables carry text and the
     * materialized view converts it; the fraction is cut, since 18.16 stores seconds only.
     */
    public String parseTimestamp(String column) {
        return switch (this) {
            case LEGACY -> "toDateTime(substring(" + column + ", 1, 19))";
            case MODERN -> "parseDateTime64BestEffort(" + column + ", 6, 'UTC')";
        };
    }

    /**
     * The string value of a top-level key of a JSON text column ('' when absent or not a string).
     * TRICKY: 18.16 has no JSONExtract*; its visitParamExtractString finds the first {@code "key":} anywhere in the
     * text (nested objects included) and needs compact JSON, which is how the plugin service writes properties.
     */
    public String jsonString(String column, String key) {
        String quoted = "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return switch (this) {
            case LEGACY -> "visitParamExtractString(" + column + ", " + quoted + ")";
            case MODERN -> "JSONExtractString(" + column + ", " + quoted + ")";
        };
    }

    /** The Kafka offset of a consumed row: the {@code _offset} virtual column, which 18.16 does not have. */
    public String kafkaOffset() {
        return switch (this) {
            case LEGACY -> "toUInt64(0)";
            case MODERN -> "_offset";
        };
    }

    /**
     * A table TTL that deletes rows {@code days} days after the day of {@code column}; nothing on 18.16, which has no
     * table TTLs (they came in 19.6): there, old months are dropped by partition (the tables that want a TTL are
     * partitioned by month).
     */
    public String ttl(String column, int days) {
        return switch (this) {
            case LEGACY -> "";
            case MODERN -> "TTL toDate(" + column + ") + toIntervalDay(" + days + ")";
        };
    }

    /** Rows per block a Kafka table of 18.16 hands to its views (see {@link #kafkaFlushSettings()}). */
    static final int LEGACY_KAFKA_BLOCK_ROWS = 100;

    /**
     * The SETTINGS of a Kafka engine table that bound how long a consumed row waits before the view writes it.
     * TRICKY: 18.16 ends a block only at {@code kafka_max_block_size} rows (default 65,536) or after 500 ms without
     * any message, and checks {@code stream_flush_interval_ms} only between blocks. A steady flow therefore waits for
     * the block to fill: about blockRows / (rows per second per node). Measured with `./platform bench latency`
     * (BENCHMARKS.md): with 65,536 rows, rows waited up to 130 s at 500 rows/s; with 1,000, a trickle of 20 events/s
     * was readable only once it stopped. 100 rows bound it to about 10 s at 20 events/s and about 1 s from 200/s up,
     * for ~15% of the end-to-end maximum (more, smaller inserts). Newer servers flush by time as well.
     */
    public String kafkaFlushSettings() {
        return switch (this) {
            case LEGACY -> "kafka_max_block_size = " + LEGACY_KAFKA_BLOCK_ROWS;
            case MODERN -> "kafka_flush_interval_ms = 1000";
        };
    }
}
