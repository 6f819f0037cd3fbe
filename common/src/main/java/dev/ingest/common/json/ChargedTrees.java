package dev.ingest.common.json;

import dev.ingest.common.memory.MemoryBudget;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * JSON trees whose heap is charged to a request's {@link MemoryBudget.Lease} before they are built. A tree costs far
 * more than its text (20 MiB of {@code [{},{},...]} is seven million objects), so a value is first skipped with the
 * streaming parser, which allocates nothing per token, to count its tokens and bytes; the estimate is charged; only
 * then is the value's own slice of the input parsed into a tree.
 */
public final class ChargedTrees {
    /** An upper estimate of what one token costs as a tree node: the node, its map entry or list slot, its key. */
    public static final long BYTES_PER_TOKEN = 64;
    /** Text held by a tree's strings (Java strings of non-Latin-1 text take two bytes a character). */
    public static final long BYTES_PER_INPUT_BYTE = 2;

    private ChargedTrees() {}

    /** A tree and the bytes charged for it (give them back with {@link MemoryBudget.Lease#release} when it is dropped). */
    public record Charged(JsonNode node, long cost) {}

    /**
     * The value whose first token the parser is on, as a tree; the parser is left on the value's last token.
     * {@code source} is the array the parser reads (from offset 0).
     */
    public static Charged read(JsonParser parser, byte[] source, MemoryBudget.Lease lease) throws JacksonException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            long cost = BYTES_PER_TOKEN + BYTES_PER_INPUT_BYTE * scalarLength(parser, token);
            lease.charge(cost);
            return new Charged(scalar(parser, token), cost);
        }
        long start = parser.currentTokenLocation().getByteOffset();
        long tokensBefore = parser.currentTokenCount();
        parser.skipChildren();
        long end = parser.currentLocation().getByteOffset();
        return readSlice(source, (int) start, (int) end, parser.currentTokenCount() - tokensBefore + 1, lease);
    }

    /**
     * The value in {@code source[start, end)}, already read once by a streaming parser that counted its
     * {@code tokens}, as a tree charged before it is built.
     */
    public static Charged readSlice(byte[] source, int start, int end, long tokens, MemoryBudget.Lease lease)
            throws JacksonException {
        long cost = tokens * BYTES_PER_TOKEN + (long) (end - start) * BYTES_PER_INPUT_BYTE;
        lease.charge(cost);
        return new Charged(Json.MAPPER.readTree(source, start, end - start), cost);
    }

    /** A whole document (one value) as a tree, charged before it is built; trailing content is an error. */
    public static Charged readDocument(byte[] source, MemoryBudget.Lease lease) throws JacksonException {
        try (JsonParser parser = Json.MAPPER.createParser(source)) {
            if (parser.nextToken() == null) {
                return new Charged(null, 0);
            }
            Charged tree = read(parser, source, lease);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                lease.release(tree.cost());
                throw new StreamReadException(parser, "Trailing token (of type " + trailing + ") found after the value");
            }
            return tree;
        }
    }

    /** The scalar the parser is on, as the mapper's tree reading would make it (floats as doubles). */
    private static JsonNode scalar(JsonParser parser, JsonToken token) throws JacksonException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (token) {
            case VALUE_STRING -> nodes.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new StreamReadException(parser, "Unexpected token " + token + " where a value starts");
        };
    }

    private static long scalarLength(JsonParser parser, JsonToken token) throws JacksonException {
        return token == JsonToken.VALUE_STRING ? parser.getStringLength() : 16;
    }
}
