package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySealTest {
    private static final String SECRET_HEADER = "Basic c2l0ZS0xOnMzY3IzdC1rM3k=";

    private final DeliverySeal seal = DeliverySeal.fromSecret("operator-secret");

    @Test
    void aDeliveryOnTheRetryTopicCarriesItsCredentialsSealedAndReadsBackWhole() {
        Delivery delivery = Delivery.request(4, 1, "customerio", "u-1", new WebhookRequest("POST",
                URI.create("https://track.customer.io/api/v1/customers/d/events"),
                Map.of("Authorization", SECRET_HEADER, "Content-Type", "application/json"), "{\"name\":\"e\"}"));

        byte[] record = delivery.toJson(seal);

        assertThat(new String(record, StandardCharsets.UTF_8)).doesNotContain(SECRET_HEADER).doesNotContain("s3cr3t")
                .contains("sealed_headers").contains("track.customer.io");
        assertThat(Delivery.fromJson(record, seal)).isEqualTo(delivery);
        // Sealed twice, the same headers never look the same.
        assertThat(new String(delivery.toJson(seal), StandardCharsets.UTF_8))
                .isNotEqualTo(new String(record, StandardCharsets.UTF_8));
    }

    @Test
    void anotherKeyOrAChangedRecordCannotOpenIt() {
        String sealed = seal.seal("{\"Authorization\":\"x\"}");

        assertThatThrownBy(() -> DeliverySeal.fromSecret("another").open(sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret-key");
        // A character in the middle: every one of its bits is data (near the end some may be base64 padding).
        char[] changed = sealed.toCharArray();
        int middle = changed.length / 2;
        changed[middle] = changed[middle] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> seal.open(new String(changed))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordWrittenBeforeSealingIsReadAsItIs() {
        String old = "{\"destination_id\":4,\"team_id\":1,\"app\":\"webhook\",\"event_uuid\":\"u\",\"attempt\":2,"
                + "\"not_before\":0,\"last_error\":null,\"request\":{\"method\":\"POST\",\"url\":\"https://h/x\","
                + "\"headers\":{\"X-A\":\"1\"},\"body\":\"b\"}}";

        assertThat(Delivery.fromJson(old.getBytes(StandardCharsets.UTF_8), seal).request().headers())
                .containsEntry("X-A", "1");
    }
}
