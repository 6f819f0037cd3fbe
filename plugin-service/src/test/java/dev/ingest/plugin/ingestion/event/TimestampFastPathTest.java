package dev.ingest.plugin.ingestion.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reader of the common timestamp form answers exactly what the formatter would, or nothing. */
class TimestampFastPathTest {
    private static Instant formatter(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void agrees(String text) {
        Instant fast = TimestampResolver.parseCommon(text);
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(formatter(text));
        }
    }

    @Test
    void readsTheFormsSdksSend() {
        assertThat(TimestampResolver.parseCommon("2026-11-30T23:19:36.123Z")).isEqualTo(Instant.parse("2026-11-30T23:19:36.123Z"));
        assertThat(TimestampResolver.parseCommon("2026-11-30T23:19:36Z")).isEqualTo(Instant.parse("2026-11-30T23:19:36Z"));
        assertThat(TimestampResolver.parseCommon("2026-11-30T23:19:36.123456789+05:30"))
                .isEqualTo(Instant.parse("2026-11-30T17:49:36.123456789Z"));
        assertThat(TimestampResolver.parseCommon("2024-02-29T00:00:00.5-00:30")).isEqualTo(Instant.parse("2024-02-29T00:30:00.5Z"));
    }

    @Test
    void leavesEverythingElseToTheFormatterChain() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T23:60:00Z",
                "2026-11-30T23:59:60Z", "2026-13-01T00:00:00Z", "2026-11-30 23:19:36Z", "2026-11-30t23:19:36z",
                "2026-11-30T23:19:36.Z", "2026-11-30T23:19:36.1234567890Z", "2026-11-30T23:19:36+0530",
                "2026-11-30T23:19:36+19:00", "2026-11-30T23:19Z", "+2026-11-30T23:19:36Z", "2026-11-30T23:19:36.12Zx",
                "2026-11-30T23:19:36", "２０２６-11-30T23:19:36Z", "2026-11-30T23:19:36.١Z")) {
            assertThat(TimestampResolver.parseCommon(text)).as(text).isNull();
        }
    }

    @Test
    void agreesWithTheFormatterOnRandomVariationsOfTheForm() {
        Random random = new Random(20261130);
        String alphabet = "0123456789-:TZ+.x ";
        for (int i = 0; i < 200_000; i++) {
            char[] text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03d%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62), random.nextInt(1000),
                    random.nextBoolean() ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                            random.nextInt(20), random.nextInt(61))).toCharArray();
            if (random.nextInt(4) == 0) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            agrees(new String(text));
        }
    }
}
