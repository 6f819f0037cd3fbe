package dev.ingest.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {
    @Test
    void acceptsCanonicalUuidsOnly() {
        assertThat(Uuids.isValid("0189a2b4-0000-7000-8000-000000000001")).isTrue();
        assertThat(Uuids.isValid("0189A2B4-0000-7000-8000-00000000000F")).isTrue();
        assertThat(Uuids.isValid("not-a-uuid")).isFalse();
        assertThat(Uuids.isValid("0189a2b40000700080000000000000001")).isFalse();
        assertThat(Uuids.isValid("")).isFalse();
        assertThat(Uuids.isValid(null)).isFalse();
    }

    @Test
    void v7CarriesTheClockMillisAndVersion() {
        Clock clock = Clock.fixed(Instant.parse("2024-01-02T03:04:05.678Z"), ZoneOffset.UTC);
        UUID uuid = Uuids.v7(clock);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }

    @Test
    void v5MatchesTheRfcExample() {
        // RFC 4122 appendix / Python uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(Uuids.v5(dns, "python.org")).isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    @Test
    void personUuidIsStablePerTeamAndDistinctId() {
        assertThat(Uuids.personUuid(2, "abc")).isEqualTo(Uuids.personUuid(2, "abc"));
        assertThat(Uuids.personUuid(2, "abc")).isNotEqualTo(Uuids.personUuid(3, "abc"));
        assertThat(Uuids.personUuid(2, "abc").version()).isEqualTo(5);
    }
}
