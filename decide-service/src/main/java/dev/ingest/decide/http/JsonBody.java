package dev.ingest.decide.http;

import dev.ingest.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JsonGenerator;

/**
 * A flag response, built of maps, lists and scalars, written to JSON bytes with one streaming generator. Spring's
 * message converter serialises a {@code Map<String, Object>} through databind, which looks up a serializer for every
 * value; for twenty detailed flags that was the largest part of a request's cost that is not evaluation (profiled
 * under BENCHMARKS.md's decide benchmark). The output is the same JSON: keys in map order, nulls written.
 */
final class JsonBody {
    private JsonBody() {}

    static ResponseEntity<byte[]> ok(Map<String, ?> body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(write(body));
    }

    static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            write(generator, value);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator generator, Object value) {
        switch (value) {
            case null -> generator.writeNull();
            case String text -> generator.writeString(text);
            case Boolean flag -> generator.writeBoolean(flag);
            case Integer number -> generator.writeNumber(number);
            case Long number -> generator.writeNumber(number);
            case Map<?, ?> map -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    generator.writeName(String.valueOf(entry.getKey()));
                    write(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case Collection<?> list -> {
                generator.writeStartArray();
                for (Object item : list) {
                    write(generator, item);
                }
                generator.writeEndArray();
            }
            // Anything else (a JsonNode, a double) as databind writes it.
            default -> Json.MAPPER.writeValue(generator, value);
        }
    }
}
