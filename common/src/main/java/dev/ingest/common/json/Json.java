package dev.ingest.common.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON configuration of the platform. Lenient where SDKs are (NaN and Infinity are read, then turned into
 * null by the decoders), strict about trailing garbage, and never pretty.
 */
public final class Json {
    /**
     * Counting tokens costs a parser almost nothing, but Jackson counts only under a token limit: an unreachable one
     * turns it on, so {@link ChargedTrees} can tell what a value costs as a tree before building it.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(Long.MAX_VALUE).build())
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {}

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static byte[] writeBytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static JsonNode read(String text) throws JacksonException {
        return MAPPER.readTree(text);
    }

    public static <T> T read(byte[] bytes, Class<T> type) throws JacksonException {
        return MAPPER.readValue(bytes, type);
    }

    public static <T> T read(String text, Class<T> type) throws JacksonException {
        return MAPPER.readValue(text, type);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
