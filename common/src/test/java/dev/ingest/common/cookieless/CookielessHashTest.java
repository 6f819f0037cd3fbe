package dev.ingest.common.cookieless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** PostHog's shared cookieless vectors (hashes, ids, root domains) give PostHog's answers here. */
class CookielessHashTest {
    private static JsonNode vectors() throws IOException {
        try (InputStream in = CookielessHashTest.class.getResourceAsStream("/cookieless/vectors.json")) {
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyHashVectorGivesPostHogsBytes() throws IOException {
        for (JsonNode vector : vectors().get("hashes")) {
            byte[] hash = CookielessHash.hash(Base64.getDecoder().decode(vector.get("salt").asString()),
                    vector.get("team_id").asLong(), vector.get("ip").asString(), vector.get("root_domain").asString(),
                    vector.get("user_agent").asString(), vector.get("n").asLong(), vector.get("extra").asString());
            assertThat(Base64.getEncoder().encodeToString(hash)).as(vector.toString())
                    .isEqualTo(vector.get("expected").asString());
        }
    }

    @Test
    void everyRootDomainVectorGivesPostHogsDomain() throws IOException {
        for (JsonNode pair : vectors().get("root_domains")) {
            assertThat(CookielessHash.rootDomain(pair.get(0).asString())).as(pair.get(0).asString())
                    .isEqualTo(pair.get(1).asString());
        }
    }

    @Test
    void idsAreTheHashInBase64WithoutPadding() {
        byte[] hash = Base64.getDecoder().decode("jZfBjkLcdjlQTVmIKIhC3Q==");
        assertThat(CookielessHash.distinctId(hash)).isEqualTo("cookieless_jZfBjkLcdjlQTVmIKIhC3Q");
        assertThat(CookielessHash.deviceId(hash)).isEqualTo("cookielessd_jZfBjkLcdjlQTVmIKIhC3Q");
    }

    @Test
    void theStatelessSessionIsAVersion7UuidOfTheDaysStart() {
        byte[] hash = Base64.getDecoder().decode("jZfBjkLcdjlQTVmIKIhC3Q==");
        Instant dayStart = Instant.parse("2026-12-02T00:00:00Z");
        UUID session = CookielessHash.sessionId(hash, dayStart);
        assertThat(session.version()).isEqualTo(7);
        assertThat(session.variant()).isEqualTo(2);
        assertThat(session.getMostSignificantBits() >>> 16).isEqualTo(dayStart.toEpochMilli());
        assertThat(CookielessHash.sessionId(hash, dayStart)).isEqualTo(session);
        assertThat(CookielessHash.sessionId(hash, dayStart.plusSeconds(86_400))).isNotEqualTo(session);
    }
}
