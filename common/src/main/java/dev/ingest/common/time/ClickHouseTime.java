package dev.ingest.common.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The text forms ClickHouse rows carry: UTC, no zone suffix, as PostHog's plugin server writes them. */
public final class ClickHouseTime {
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ClickHouseTime() {}

    /** {@code 2023-10-29 01:34:00.123456}: event timestamps and created_at. */
    public static String micros(Instant instant) {
        return MICROS.format(instant);
    }

    /** {@code 2023-10-29 01:34:00}: person_created_at and the other second-precision columns. */
    public static String seconds(Instant instant) {
        return SECONDS.format(instant);
    }
}
