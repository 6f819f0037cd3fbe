package dev.ingest.capture.decode;

import static dev.ingest.capture.decode.TestRequests.capture;
import static dev.ingest.capture.decode.TestRequests.captureJson;
import static dev.ingest.capture.decode.TestRequests.failure;
import static dev.ingest.capture.decode.TestRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events, tokens, distinct ids, uuids and sent_at
 * (docs/posthog-compatibility.md#capture-events-tokens-and-distinct-ids). The vectors are from PostHog's own tests:
 * capture-rs {@code rust/capture/src/v0_request.rs} ({@code extract_distinct_id}, {@code extract_and_verify_token}) and
 * {@code rust/capture/src/payload/types.rs}, and Django's {@code posthog/api/test/test_capture.py}.
 */
class EventExtractorTest {
    private static final String TOKEN = "\"token\":\"phc_t\"";

    /** One event with the given extra fields and a valid token. */
    private static String event(String fields) {
        return "{" + TOKEN + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    private static String distinctIdOf(String fields) {
        return captureJson(event(fields)).events().getFirst().distinctId();
    }

    private static CaptureException extractFailure(String json) {
        return failure(() -> captureJson(json));
    }

    @Nested
    class DistinctId {
        @Test
        void rejectsMissingDistinctId() {
            CaptureException error = extractFailure(event("\"event\":\"e\""));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: All events must have the event field \"distinct_id\"!");
        }

        @Test
        void rejectsNullDistinctIdAsBlank() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":null"));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"distinct_id\" should not be blank!");
        }

        @Test
        void rejectsNanDistinctIdAsBlank() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":NaN"));

            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"distinct_id\" should not be blank!");
        }

        @Test
        void rejectsEmptyDistinctIdAsBlank() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":\"\""));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"distinct_id\" should not be blank!");
        }

        @Test
        void rejectsNullPropertiesDistinctIdAsBlank() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"properties\":{\"distinct_id\":null}"));

            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"distinct_id\" should not be blank!");
        }

        @Test
        void rejectsBatchEventWithoutDistinctId() {
            CaptureException error = extractFailure(
                    "{\"api_key\":\"phc_t\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"a\"},{\"event\":\"e\"}]}");

            assertThat(error.detail()).isEqualTo("Invalid payload: All events must have the event field \"distinct_id\"!");
        }

        @Test
        void readsStringDistinctId() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":\"myid\"")).isEqualTo("myid");
        }

        @Test
        void readsDollarDistinctId() {
            assertThat(distinctIdOf("\"event\":\"e\",\"$distinct_id\":\"23\"")).isEqualTo("23");
        }

        @Test
        void readsDistinctIdFromProperties() {
            assertThat(distinctIdOf("\"event\":\"e\",\"properties\":{\"distinct_id\":\"myid\"}")).isEqualTo("myid");
        }

        @Test
        void prefersTopLevelDistinctIdOverProperties() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":23,\"properties\":{\"distinct_id\":\"myid\"}"))
                    .isEqualTo("23");
        }

        @Test
        void writesIntegerDistinctIdAsText() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":23")).isEqualTo("23");
        }

        @Test
        void writesFloatDistinctIdAsText() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":23.4")).isEqualTo("23.4");
        }

        @Test
        void writesArrayDistinctIdAsCompactJson() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":[\"a\", \"b\"]")).isEqualTo("[\"a\",\"b\"]");
        }

        @Test
        void writesObjectDistinctIdAsCompactJsonWithSortedKeys() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":{\"string\":\"a\",\"number\":3}"))
                    .isEqualTo("{\"number\":3,\"string\":\"a\"}");
        }

        @Test
        void sortsKeysOfNestedObjectsInDistinctId() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":{\"z\":[{\"b\":1,\"a\":\"\\\"q\"}],\"a\":true}"))
                    .isEqualTo("{\"a\":true,\"z\":[{\"a\":\"\\\"q\",\"b\":1}]}");
        }

        @Test
        void truncatesDistinctIdTo200Characters() {
            String id = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".repeat(4).substring(0, 222);

            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":\"" + id + "\"")).isEqualTo(id.substring(0, 200));
        }

        @Test
        void truncatesPropertiesDistinctIdTo200Characters() {
            assertThat(distinctIdOf("\"event\":\"e\",\"properties\":{\"distinct_id\":\"" + "a".repeat(250) + "\"}"))
                    .isEqualTo("a".repeat(200));
        }

        @Test
        void truncatesByCodePointsNotSplittingSurrogatePairs() {
            String id = "\uD83E\uDD13".repeat(201);

            String result = distinctIdOf("\"event\":\"e\",\"distinct_id\":\"" + id + "\"");

            assertThat(result.codePointCount(0, result.length())).isEqualTo(200);
            assertThat(result).isEqualTo("\uD83E\uDD13".repeat(200));
        }

        @Test
        void replacesNullCharacterInDistinctId() {
            assertThat(distinctIdOf("\"event\":\"e\",\"distinct_id\":\"a\\u0000b\"")).isEqualTo("a\uFFFDb");
        }
    }

    @Nested
    class Token {
        @Test
        void rejectsEventWithoutToken() {
            CaptureException error = extractFailure("{\"event\":\"e\",\"distinct_id\":\"d\"}");

            assertThat(error.error()).isEqualTo(CaptureError.MISSING_API_KEY);
            assertThat(error.code()).isEqualTo("missing_api_key");
            assertThat(error.detail()).isEqualTo(
                    "API key not provided. You can find your project API key in PostHog project settings.");
        }

        @Test
        void rejectsBatchWithoutToken() {
            CaptureException error = extractFailure("{\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\"}]}");

            assertThat(error.error()).isEqualTo(CaptureError.MISSING_API_KEY);
            assertThat(error.code()).isEqualTo("missing_api_key");
        }

        @Test
        void rejectsEmptyBatchApiKey() {
            CaptureException error = extractFailure("{\"api_key\":\"\",\"batch\":[{\"event\":\"e\"}]}");

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_API_KEY_SHAPE);
            assertThat(error.code()).isEqualTo("empty");
            assertThat(error.detail()).isEqualTo("Provided API key is not valid: empty");
        }

        @Test
        void rejectsPersonalApiKeyInArray() {
            CaptureException error = extractFailure("[{\"event\":\"e\",\"token\":\"phx_hellothere\"}]");

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_API_KEY_SHAPE);
            assertThat(error.code()).isEqualTo("personal_api_key");
        }

        @Test
        void rejectsArrayWithDifferentTokens() {
            CaptureException error = extractFailure(
                    "[{\"event\":\"e\",\"token\":\"token1\"},{\"event\":\"e\",\"token\":\"token2\"}]");

            assertThat(error.error()).isEqualTo(CaptureError.MULTIPLE_API_KEYS);
        }

        @Test
        void acceptsArrayWithTheSameTokenTwice() {
            CaptureBatch batch = captureJson("[{\"event\":\"e\",\"token\":\"token1\",\"distinct_id\":\"a\"},"
                    + "{\"event\":\"e\",\"token\":\"token1\",\"distinct_id\":\"b\"}]");

            assertThat(batch.token()).isEqualTo("token1");
            assertThat(batch.events()).hasSize(2);
        }

        @Test
        void ignoresEventsWithoutTokenWhenCheckingArrayTokens() {
            CaptureBatch batch = captureJson("[{\"event\":\"e\",\"distinct_id\":\"a\"},"
                    + "{\"event\":\"e\",\"api_key\":\"token1\",\"distinct_id\":\"b\"}]");

            assertThat(batch.token()).isEqualTo("token1");
        }

        @Test
        void prefersBatchLevelKeyOverEventTokens() {
            CaptureBatch batch = captureJson(
                    "{\"batch\":[{\"event\":\"e\",\"token\":\"token1\",\"distinct_id\":\"d\"}],\"api_key\":\"batched\"}");

            assertThat(batch.token()).isEqualTo("batched");
        }

        @Test
        void readsBatchTokenAlias() {
            CaptureBatch batch = captureJson("{\"token\":\"batched\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\"}]}");

            assertThat(batch.token()).isEqualTo("batched");
        }

        @Test
        void readsDollarToken() {
            assertThat(captureJson("{\"event\":\"e\",\"$token\":\"single_token\",\"distinct_id\":\"d\"}").token())
                    .isEqualTo("single_token");
        }

        @Test
        void readsApiKey() {
            assertThat(captureJson("{\"event\":\"e\",\"api_key\":\"single_token\",\"distinct_id\":\"d\"}").token())
                    .isEqualTo("single_token");
        }

        @Test
        void readsTokenFromProperties() {
            assertThat(captureJson("{\"event\":\"e\",\"properties\":{\"token\":\"prop_token\",\"distinct_id\":\"d\"}}")
                    .token()).isEqualTo("prop_token");
        }

        @Test
        void rejectsTooLongToken() {
            CaptureException error = extractFailure(
                    "{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"" + "x".repeat(65) + "\"}");

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_API_KEY_SHAPE);
            assertThat(error.code()).isEqualTo("too_long");
        }

        @Test
        void trimsTokenWithTrailingNewline() {
            assertThat(captureJson("{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"phc_hellothere\\n\"}").token())
                    .isEqualTo("phc_hellothere");
        }

        @Test
        void rejectsObjectApiKeyAsNotString() {
            CaptureException error = extractFailure(
                    "{\"api_key\":{\"some\":\"object\"},\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\"}]}");

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_API_KEY_SHAPE);
            assertThat(error.error().status()).isEqualTo(401);
            assertThat(error.error().type()).isEqualTo("authentication_error");
            assertThat(error.code()).isEqualTo("not_string");
            assertThat(error.detail()).isEqualTo("Provided API key is not valid: not_string");
        }

        @Test
        void usesFormTokenWhenEventsCarryNone() {
            CaptureRequest request = post("/e/").form("data", "{\"event\":\"e\",\"distinct_id\":\"d\"}",
                    "api_key", "phc_form").build();

            assertThat(capture(request).token()).isEqualTo("phc_form");
        }

        @Test
        void validatesFormTokenShape() {
            CaptureRequest request = post("/e/").form("data", "{\"event\":\"e\",\"distinct_id\":\"d\"}",
                    "api_key", "phx_personal").build();

            assertThat(failure(() -> capture(request)).code()).isEqualTo("personal_api_key");
        }
    }

    @Nested
    class EventValidation {
        @Test
        void keepsGivenValidUuid() {
            IncomingEvent event = captureJson("{\"api_key\":\"phc_t\",\"event\":\"some_event\",\"distinct_id\":\"1\","
                    + "\"uuid\":\"01823e89-f75d-0000-0d4d-3d43e54f6de5\"}").events().getFirst();

            assertThat(event.uuid()).isEqualTo("01823e89-f75d-0000-0d4d-3d43e54f6de5");
            assertThat(event.raw().get("uuid").asString()).isEqualTo("01823e89-f75d-0000-0d4d-3d43e54f6de5");
        }

        @Test
        void rejectsInvalidUuid() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":\"1\",\"uuid\":\"invalid_uuid\""));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"uuid\" is not a valid UUID!");
        }

        @Test
        void rejectsNonStringUuid() {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":\"1\",\"uuid\":42"));

            assertThat(error.detail()).isEqualTo("Invalid payload: Event field \"uuid\" is not a valid UUID!");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\"uuid\":null", "\"uuid\":\"\""})
        void generatesVersion7UuidFromClockWhenAbsent(String uuidField) {
            String fields = "\"event\":\"e\",\"distinct_id\":\"1\"" + (uuidField.isEmpty() ? "" : "," + uuidField);

            IncomingEvent event = captureJson(event(fields)).events().getFirst();

            UUID uuid = UUID.fromString(event.uuid());
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(TestRequests.NOW.toEpochMilli());
            assertThat(event.raw().get("uuid").asString()).isEqualTo(event.uuid());
        }

        @Test
        void generatesDistinctUuidsForEventsOfOneRequest() {
            CaptureBatch batch = captureJson("[" + event("\"event\":\"e\",\"distinct_id\":\"1\"") + ","
                    + event("\"event\":\"e\",\"distinct_id\":\"1\"") + "]");

            assertThat(batch.events().get(0).uuid()).isNotEqualTo(batch.events().get(1).uuid());
        }

        @Test
        void skipsEventWithEmptyName() {
            CaptureBatch batch = captureJson(event("\"event\":\"\",\"distinct_id\":\"1\""));

            assertThat(batch.skipped()).isEqualTo(1);
            assertThat(batch.events()).isEmpty();
        }

        @Test
        void skipsOnlyTheEmptyNamedEventsOfABatch() {
            CaptureBatch batch = captureJson("{\"api_key\":\"phc_t\",\"batch\":[{\"event\":\"\",\"distinct_id\":\"1\"},"
                    + "{\"event\":\"kept\",\"distinct_id\":\"2\"}]}");

            assertThat(batch.skipped()).isEqualTo(1);
            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("kept");
        }

        @Test
        void rejectsEventWithoutEventKey() {
            CaptureException error = extractFailure(event("\"distinct_id\":\"1\""));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: All events must have the event name field \"event\"!");
        }

        @Test
        void rejectsNonStringEventName() {
            assertThat(extractFailure(event("\"event\":7,\"distinct_id\":\"1\"")).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsEmptyBatch() {
            CaptureException error = extractFailure("{\"api_key\":\"phc_t\",\"batch\":[]}");

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).isEqualTo("Invalid payload: request holds no event");
        }

        @Test
        void rejectsEmptyArray() {
            assertThat(extractFailure("[]").detail()).isEqualTo("Invalid payload: request holds no event");
        }

        @Test
        void rejectsNonArrayBatch() {
            assertThat(extractFailure("{\"api_key\":\"phc_t\",\"batch\":{\"event\":\"e\"}}").error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsScalarPayload() {
            assertThat(extractFailure("\"just a string\"").error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsNonObjectEventInArray() {
            assertThat(extractFailure("[" + event("\"event\":\"e\",\"distinct_id\":\"1\"") + ",3]").error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void defaultsMissingPropertiesToEmptyObject() {
            IncomingEvent event = captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\"")).events().getFirst();

            assertThat(event.raw().get("properties").isObject()).isTrue();
            assertThat(event.raw().get("properties").isEmpty()).isTrue();
        }

        @Test
        void defaultsNullPropertiesToEmptyObject() {
            IncomingEvent event = captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\",\"properties\":null"))
                    .events().getFirst();

            assertThat(event.raw().get("properties").isObject()).isTrue();
        }

        @Test
        void rejectsNonObjectProperties() {
            assertThat(extractFailure(event("\"event\":\"e\",\"distinct_id\":\"1\",\"properties\":[1]")).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void keepsTheRawEventAsSent() {
            IncomingEvent event = captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\",\"timestamp\":\"2024-01-01T00:00:00Z\","
                    + "\"$set\":{\"a\":1},\"properties\":{\"p\":[1,2]}")).events().getFirst();

            assertThat(event.raw().get("timestamp").asString()).isEqualTo("2024-01-01T00:00:00Z");
            assertThat(event.raw().get("$set").toString()).isEqualTo("{\"a\":1}");
            assertThat(event.raw().get("properties").toString()).isEqualTo("{\"p\":[1,2]}");
        }

        @Test
        void forwardsAPlainEventAsItsOwnBytes() {
            String sent = "{ \"event\":\"e\", \"uuid\":\"" + UUID.randomUUID() + "\",\"distinct_id\":\"1\","
                    + "\"properties\":{\"n\":1.50,\"s\":\"caf\u00e9 \\u00e9\"} }";

            IncomingEvent event = captureJson("[" + event(sent.substring(1, sent.length() - 1)) + "]").events().getFirst();

            assertThat(new String(event.data(), StandardCharsets.UTF_8)).isEqualTo(event(sent.substring(1, sent.length() - 1)));
        }

        @Test
        void putsAGeneratedUuidFirstInAPlainEventWithoutOne() {
            String sent = event("\"event\":\"e\",\"distinct_id\":\"1\",\"properties\":{}");

            IncomingEvent event = captureJson("[" + sent + "]").events().getFirst();

            assertThat(new String(event.data(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"uuid\":\"" + event.uuid() + "\"," + sent.substring(1));
        }

        @Test
        void forcesIdentifyOnlyForSingleEventsOnEngage() {
            CaptureRequest single = post("/engage/").json(event("\"event\":\"x\",\"distinct_id\":\"1\"")).build();
            CaptureRequest array = post("/engage/").json("[" + event("\"event\":\"x\",\"distinct_id\":\"1\"") + "]").build();

            assertThat(capture(single).events().getFirst().event()).isEqualTo("$identify");
            assertThat(capture(array).events().getFirst().event()).isEqualTo("x");
        }

        @Test
        void doesNotForceIdentifyOutsideEngage() {
            assertThat(capture(post("/e/").json(event("\"event\":\"x\",\"distinct_id\":\"1\"")).build())
                    .events().getFirst().event()).isEqualTo("x");
        }

        @Test
        void readsHistoricalMigrationFlagOfBatch() {
            CaptureBatch batch = captureJson("{\"api_key\":\"phc_t\",\"historical_migration\":true,"
                    + "\"batch\":[{\"event\":\"e\",\"distinct_id\":\"1\"}]}");

            assertThat(batch.historicalMigration()).isTrue();
            assertThat(captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\"")).historicalMigration()).isFalse();
        }
    }

    @Nested
    class CookielessMode {
        @Test
        void readsCookielessModeTrue() {
            IncomingEvent event = captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\","
                    + "\"properties\":{\"$cookieless_mode\":true}")).events().getFirst();

            assertThat(event.cookieless()).isTrue();
        }

        @Test
        void treatsAbsentOrFalseCookielessModeAsOff() {
            assertThat(captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\"")).events().getFirst().cookieless())
                    .isFalse();
            assertThat(captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\",\"properties\":{\"$cookieless_mode\":false}"))
                    .events().getFirst().cookieless()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"true\"", "1", "{}", "[]"})
        void rejectsNonBooleanCookielessMode(String value) {
            CaptureException error = extractFailure(event("\"event\":\"e\",\"distinct_id\":\"1\","
                    + "\"properties\":{\"$cookieless_mode\":" + value + "}"));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_COOKIELESS_MODE);
            assertThat(error.code()).isEqualTo("invalid_cookieless_mode");
            assertThat(error.error().status()).isEqualTo(400);
        }
    }

    @Nested
    class SentAt {
        private CaptureBatch withQuery(String json, String underscore) {
            return capture(post("/e/").query("_", underscore).json(json).build());
        }

        @Test
        void acceptsMillisecondsQueryParameter() {
            assertThat(withQuery(event("\"event\":\"e\",\"distinct_id\":\"1\""), "1704067200000").sentAt())
                    .isEqualTo("2024-01-01T00:00:00Z");
        }

        @Test
        void ignoresSecondsQueryParameter() {
            assertThat(withQuery(event("\"event\":\"e\",\"distinct_id\":\"1\""), "1704067200").sentAt()).isNull();
        }

        @ParameterizedTest
        @CsvSource({"1609459199999, ", "1609459200000, 2021-01-01T00:00:00Z"})
        void ignoresQueryMillisecondsIn2020OrBefore(String underscore, String expected) {
            assertThat(withQuery(event("\"event\":\"e\",\"distinct_id\":\"1\""), underscore).sentAt()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "abc", "1704067200000.5", "-1704067200000", "99999999999999999999999"})
        void ignoresQueryParameterThatIsNotWholeMilliseconds(String underscore) {
            assertThat(withQuery(event("\"event\":\"e\",\"distinct_id\":\"1\""), underscore).sentAt()).isNull();
        }

        @Test
        void prefersBatchSentAtOverQueryParameter() {
            String json = "{\"api_key\":\"phc_t\",\"sent_at\":\"2024-02-02T02:02:02.002Z\","
                    + "\"batch\":[{\"event\":\"e\",\"distinct_id\":\"1\"}]}";

            assertThat(withQuery(json, "1704067200000").sentAt()).isEqualTo("2024-02-02T02:02:02.002Z");
        }

        @Test
        void readsSentAtOfSingleEventBody() {
            assertThat(captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\",\"sent_at\":\"2024-03-03T00:00:00Z\""))
                    .sentAt()).isEqualTo("2024-03-03T00:00:00Z");
        }

        @Test
        void hasNoSentAtWhenNoneIsGiven() {
            assertThat(captureJson(event("\"event\":\"e\",\"distinct_id\":\"1\"")).sentAt()).isNull();
        }
    }

    @Nested
    class DirectExtraction {
        @Test
        void extractsFromAPayloadDecodedElsewhere() {
            DecodedPayload payload = new DecodedPayload("{\"event\":\"e\",\"distinct_id\":\"d\"}".getBytes(StandardCharsets.UTF_8),
                    "phc_f");
            CaptureRequest request = new CaptureRequest("POST", "/e/", Map.of(), "application/json", null, new byte[0]);

            CaptureBatch batch = new EventExtractor(TestRequests.CLOCK).extract(payload, request);

            assertThat(batch.token()).isEqualTo("phc_f");
            assertThat(batch.events()).singleElement().extracting(IncomingEvent::distinctId).isEqualTo("d");
        }
    }
}
