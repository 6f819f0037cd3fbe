package dev.ingest.plugin.person.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.kafka.OutgoingRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxCodecTest {
    @Test
    void recordsRoundTripInOrderWithNullKeysEmptyValuesAndUnicodeHeaders() {
        List<OutgoingRecord> records = List.of(
                new OutgoingRecord("clickhouse_person", "k\u00e9y", new byte[] {0, (byte) 0xff, 10}, Map.of("team_id", "2", "\u00fc", "\ud83d\ude00")),
                new OutgoingRecord("clickhouse_groups", null, new byte[0]),
                new OutgoingRecord("clickhouse_person_distinct_id", "", "{}".getBytes()));

        List<OutgoingRecord> decoded = OutboxCodec.decode(OutboxCodec.encode(records));

        assertThat(decoded).hasSize(3);
        for (int i = 0; i < records.size(); i++) {
            assertThat(decoded.get(i).topic()).isEqualTo(records.get(i).topic());
            assertThat(decoded.get(i).key()).isEqualTo(records.get(i).key());
            assertThat(decoded.get(i).value()).isEqualTo(records.get(i).value());
            assertThat(decoded.get(i).headers()).isEqualTo(records.get(i).headers());
        }
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNotMisread() {
        byte[] encoded = OutboxCodec.encode(List.of(new OutgoingRecord("t", "k", new byte[] {1, 2, 3})));

        assertThatThrownBy(() -> OutboxCodec.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        encoded[0] = 9;
        assertThatThrownBy(() -> OutboxCodec.decode(encoded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9");
    }
}
