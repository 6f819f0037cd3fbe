package dev.ingest.plugin.person.outbox;

import dev.ingest.common.kafka.OutgoingRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one outbox row: every record of one transaction, in order. Layout (big-endian): format byte 1, record
 * count; per record: topic, key (flag byte 0 = null, 1 = present, then the text), value length and bytes, header
 * count, then name and value of each header. Texts are a length and UTF-8 bytes.
 */
final class OutboxCodec {
    private static final byte FORMAT = 1;

    private OutboxCodec() {}

    static byte[] encode(List<OutgoingRecord> records) {
        int estimate = 16;
        for (OutgoingRecord record : records) {
            estimate += record.value().length + 64;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(records.size());
            for (OutgoingRecord record : records) {
                text(out, record.topic());
                out.writeBoolean(record.key() != null);
                if (record.key() != null) {
                    text(out, record.key());
                }
                out.writeInt(record.value().length);
                out.write(record.value());
                out.writeInt(record.headers().size());
                for (Map.Entry<String, String> header : record.headers().entrySet()) {
                    text(out, header.getKey());
                    text(out, header.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<OutgoingRecord> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown outbox row format " + format);
            }
            int count = in.readInt();
            List<OutgoingRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = text(in);
                String key = in.readBoolean() ? text(in) : null;
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                int headerCount = in.readInt();
                Map<String, String> headers = new LinkedHashMap<>();
                for (int h = 0; h < headerCount; h++) {
                    headers.put(text(in), text(in));
                }
                records.add(new OutgoingRecord(topic, key, value, headers));
            }
            return records;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated outbox row", e);
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
