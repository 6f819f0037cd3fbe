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

    /** The Kafka offset of a consumed row: the {@code _offset} virtual column, which 18.16 does not have. */
    public String kafkaOffset() {
        return switch (this) {
            case LEGACY -> "toUInt64(0)";
            case MODERN -> "_offset";
        };
    }
}
