package dev.ingest.capture.decode;

import static dev.ingest.capture.decode.TestRequests.capture;
import static dev.ingest.capture.decode.TestRequests.failure;
import static dev.ingest.capture.decode.TestRequests.formEncode;
import static dev.ingest.capture.decode.TestRequests.get;
import static dev.ingest.capture.decode.TestRequests.gzip;
import static dev.ingest.capture.decode.TestRequests.post;
import static dev.ingest.capture.decode.TestRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import blazing.chain.LZSEncoding;
import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Where the payload comes from and how it is decompressed (docs/posthog-compatibility.md#capture-payload-decoding),
 * with vectors from PostHog's own tests.
 */
class PayloadDecoderTest {
    /**
     * From capture-rs's {@code decode_uncompressed_raw_event} ({@code rust/capture/src/v0_request.rs}): a plain JSON
     * event sent as base64.
     */
    static final String RAW_BASE64_EVENT = "ewogICAgImRpc3RpbmN0X2lkIjogIm15X2lkMSIsCiAgICAiZXZlbnQiOiAibXlfZXZlbnQxIiwKICAgICJwcm9wZXJ0aWVzIjogewogICAgICAgICIkZGV2aWNlX3R5cGUiOiAiRGVza3RvcCIKICAgIH0sCiAgICAiYXBpX2tleSI6ICJteV90b2tlbjEiCn0K";
    /**
     * From capture-rs's {@code decode_gzipped_raw_event} ({@code rust/capture/src/v0_request.rs}): the base64 of a gzip
     * body.
     */
    static final String GZIP_EVENT_BASE64 = "H4sIADQSbmUCAz2MsQqAMAxE936FBEcnR2f/o4i9IRTb0AahiP9urcVMx3t3ucxQjxxn5bCrZUfLQEepYabpkzgRtOOWfyMpCpIyctVXY42PDifvsFoE73BF9hqFWuPu403YepT+WKNHmMnc5gENoFu2kwAAAA==";
    /**
     * From Django's {@code test_base64_decode_variations} ({@code posthog/api/test/test_capture.py}): base64 holding a
     * '+'.
     */
    static final String PLUS_BASE64_EVENT = "eyJldmVudCI6IiRwYWdldmlldyIsInByb3BlcnRpZXMiOnsiZGlzdGluY3RfaWQiOiJlZWVlZWVlZ8+lZWVlZWUifX0=";
    /**
     * From Django's {@code test_lz64_with_emoji} ({@code posthog/api/test/test_capture.py}): lz-string
     * compressToBase64 of a batch whose event is an emoji.
     */
    static final String LZ64_EMOJI_BATCH = "NoKABBYN4EQKYDc4DsAuMBcYaD4NwyLswA0MADgE4D2JcZqAlnAM6bQwAkFzWMAsgIYBjMAHkAymAAaRdgCNKAd0Y0WMAMIALSgFs40tgICuZMilQB9IwBsV61KhIYA9I4CMAJgDsAOgAMvry4YABw+oY4AJnBaFHrqnOjc7t5+foEhoXokfKjqyHw6KhFRMcRschSKNGZIZIx0FMgsQQBspYwCJihm6nB0AOa2LC4+AKw+bR1wXfJ04TlDzSGllnQyKvJwa8ur1TR1DSou/j56dMhKtGaz6wBeAJ4GQagALPJ8buo3I8iLevQFWBczVGIxGAGYPABONxeMGQlzEcJ0Rj0ZACczXbg3OCQgBCyFxAlxAE1iQBBADSAC0ANYAVT4NIAKmDRC4eAA5AwAMUYABkAJIAcQMPCouOeZCCAFotAA1cLNeR6SIIOgCOBXcKHDwjSFBNyQnzA95BZ7SnxuAQjFwuABmYKCAg8bh8MqBYLgzRcIzc0pcfDgfD4Pn9uv1huNPhkwxGegMFy1KmxeIJRNJlNpDOZrPZXN5gpFYpIEqlsoVStOyDo9D4ljMJjtNBMZBsdgcziSxwCwVCPkclgofTOAH5kHAAB6oAC8jirNbodYbcCbxjOfTM4QoWj4Z0Onm7aT70hI8TiG5q+0aiQCzV80nUfEYZkYlkENLMGxkcQoNJYdrrJRSkEegkDMJtsiMTU7TfPouDAUBIGwED6nOaUDAnaVXWGdwYBAABdYhUF/FAVGpKkqTgAUSDuAQ+QACWlVAKQoGQ+VxABRJk3A5YQ+g8eQ+gAKW5NwKQARwAET5EY7gAdTpMwPFQKllQAX2ICg7TtJQEjAMFQmeNSCKAA==";
    static final String LZ64_EMOJI_TOKEN = "KZZZeIpycLH-tKobLBET2NOg7wgJF2KqDL5yWU_7tZw";

    private static final String SIMPLE_EVENT = "{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"phc_t\"}";

    @Nested
    class BodyEncodingVectors {
        @Test
        void decodesRawBodyThatIsBase64OfJson() {
            CaptureBatch batch = capture(post("/e/").json(RAW_BASE64_EVENT).build());

            assertThat(batch.token()).isEqualTo("my_token1");
            assertThat(batch.events()).singleElement().satisfies(event -> {
                assertThat(event.event()).isEqualTo("my_event1");
                assertThat(event.distinctId()).isEqualTo("my_id1");
                assertThat(event.raw().get("properties").get("$device_type").asString()).isEqualTo("Desktop");
            });
        }

        @Test
        void decodesGzipWithoutCompressionHint() {
            byte[] body = Base64.getDecoder().decode(GZIP_EVENT_BASE64);
            assertThat(Arrays.copyOf(body, 3)).containsExactly(0x1f, 0x8b, 0x08);

            CaptureBatch batch = capture(post("/e/").contentType("application/json").body(body).build());

            assertThat(batch.token()).isEqualTo("my_token2");
            assertThat(batch.events()).singleElement().satisfies(event -> {
                assertThat(event.event()).isEqualTo("my_event2");
                assertThat(event.distinctId()).isEqualTo("my_id2");
                assertThat(event.raw().get("properties").toString()).isEqualTo("{\"$device_type\":\"Desktop\"}");
            });
        }

        @Test
        void decodesGzipByMagicBytesWhateverTheCompressionParameterSays() {
            byte[] body = Base64.getDecoder().decode(GZIP_EVENT_BASE64);

            CaptureBatch batch = capture(post("/e/").query("compression", "lz64").body(body).build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("my_event2");
        }

        @Test
        void decodesBase64FormFieldHoldingPlus() {
            CaptureBatch batch = capture(post("/track/").form("data", PLUS_BASE64_EVENT, "api_key", "phc_form").build());

            assertThat(batch.token()).isEqualTo("phc_form");
            assertThat(batch.events()).singleElement().satisfies(event -> {
                assertThat(event.event()).isEqualTo("$pageview");
                assertThat(event.distinctId()).isEqualTo("eeeeeeeg\u03e5eeeee");
            });
        }

        @Test
        void decodesBase64FormFieldWhosePlusWasSentAsSpace() {
            String withSpaces = PLUS_BASE64_EVENT.replace('+', ' ');

            CaptureBatch batch = capture(post("/track/").form("data", withSpaces, "api_key", "phc_form").build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::distinctId)
                    .isEqualTo("eeeeeeeg\u03e5eeeee");
        }

        @Test
        void decodesBase64FormFieldWhosePlusWasNotUrlEncoded() {
            // An unencoded '+' in a form body reads as a space; the base64 fallback must turn it back.
            CaptureBatch batch = capture(post("/track/").rawForm("data=" + PLUS_BASE64_EVENT + "&api_key=phc_form").build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::distinctId)
                    .isEqualTo("eeeeeeeg\u03e5eeeee");
        }

        @Test
        void decodesLz64BatchWithEmojiEventName() {
            CaptureRequest request = post("/batch/").json(LZ64_EMOJI_BATCH).contentEncoding("lz64").build();

            CaptureBatch batch = capture(request);

            assertThat(batch.token()).isEqualTo(LZ64_EMOJI_TOKEN);
            assertThat(batch.events()).isNotEmpty();
            assertThat(batch.events().getFirst().event()).isEqualTo("\uD83E\uDD13");
        }

        @Test
        void decodesLzStringBatchRoundTrip() {
            String json = "{\"api_key\": \"phc_lz\", \"batch\": [{\"type\": \"capture\", \"event\": \"user signed up\","
                    + " \"distinct_id\": \"2\"}]}";
            CaptureRequest request = post("/batch/").json(LZSEncoding.compressToBase64(json)).contentEncoding("lz64")
                    .build();

            CaptureBatch batch = capture(request);

            assertThat(batch.token()).isEqualTo("phc_lz");
            assertThat(batch.events()).singleElement().satisfies(event -> {
                assertThat(event.event()).isEqualTo("user signed up");
                assertThat(event.distinctId()).isEqualTo("2");
                assertThat(event.raw().get("type").asString()).isEqualTo("capture");
                assertThat(event.raw().get("properties").isObject()).isTrue();
                assertThat(event.raw().get("properties").isEmpty()).isTrue();
            });
        }

        @Test
        void decodesLz64FormFieldWhosePlusBecameSpaces() {
            String json = "{\"api_key\":\"phc_lz\",\"batch\":[{\"event\":\"\u00e9v\u00e9nement ~~~ >>>\",\"distinct_id\":\"2\"}]}";
            String compressed = LZSEncoding.compressToBase64(json);
            // Sent unencoded, as some old SDKs did, every '+' of the lz64 text arrives as a space.
            CaptureRequest request = post("/e/").query("compression", "lz64").rawForm("data=" + compressed).build();

            CaptureBatch batch = capture(request);

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event)
                    .isEqualTo("\u00e9v\u00e9nement ~~~ >>>");
        }

        @Test
        void forcesIdentifyOnLegacyEngageGet() {
            String data = "{\"$set\":{\"$os\":\"Mac OS X\"},\"$token\":\"token123\",\"$distinct_id\":3,"
                    + "\"$device_id\":\"16fd4afae9b2d8-0d8b4d3d1e0b5b-1d3a6a5a-1aeaa0-16fd4afae9c57f\",\"$user_id\":3}";

            CaptureBatch batch = capture(get("/engage/").query("data", data).build());

            assertThat(batch.token()).isEqualTo("token123");
            assertThat(batch.events()).singleElement().satisfies(event -> {
                assertThat(event.event()).isEqualTo("$identify");
                assertThat(event.distinctId()).isEqualTo("3");
                assertThat(event.raw().get("event").asString()).isEqualTo("$identify");
                assertThat(event.raw().get("$set").get("$os").asString()).isEqualTo("Mac OS X");
            });
        }
    }

    @Nested
    class PayloadSources {
        @Test
        void readsGetPayloadFromDataQueryParameter() {
            CaptureBatch batch = capture(get("/e/").query("data", SIMPLE_EVENT).build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("e");
        }

        @Test
        void readsBase64GetPayloadWhosePlusBecameSpaces() {
            String data = Base64.getEncoder().encodeToString(utf8(
                    "{\"event\":\"$pageview\",\"properties\":{\"distinct_id\":\"eeeeeeeg\u03e5eeeee\"}}"));
            assertThat(data).contains("+");

            CaptureBatch batch = capture(get("/e/").query("data", data.replace('+', ' ')).query("token", "phc_q").build());

            assertThat(batch.token()).isEqualTo("phc_q");
            assertThat(batch.events()).singleElement().extracting(IncomingEvent::distinctId)
                    .isEqualTo("eeeeeeeg\u03e5eeeee");
        }

        @Test
        void readsGetTokenFromQueryTokenThenApiKey() {
            String noToken = "{\"event\":\"e\",\"distinct_id\":\"d\"}";

            DecodedPayload both = decoder().decode(get("/e/").query("data", noToken).query("token", "phc_a")
                    .query("api_key", "phc_b").build());
            DecodedPayload apiKey = decoder().decode(get("/e/").query("data", noToken).query("api_key", "phc_b").build());

            assertThat(both.formToken()).isEqualTo("phc_a");
            assertThat(apiKey.formToken()).isEqualTo("phc_b");
        }

        @Test
        void ignoresQueryTokenOnPost() {
            DecodedPayload payload = decoder().decode(post("/e/").query("token", "phc_q")
                    .json("{\"event\":\"e\",\"distinct_id\":\"d\"}").build());

            assertThat(payload.formToken()).isNull();
        }

        @Test
        void readsFormTokenFromApiKeyThenToken() {
            DecodedPayload both = decoder().decode(post("/e/").form("data", SIMPLE_EVENT, "token", "phc_t2",
                    "api_key", "phc_k").build());
            DecodedPayload token = decoder().decode(post("/e/").form("data", SIMPLE_EVENT, "token", "phc_t2").build());

            assertThat(both.formToken()).isEqualTo("phc_k");
            assertThat(token.formToken()).isEqualTo("phc_t2");
        }

        @Test
        void readsRawBodyForTextPlainAndMissingContentType() {
            assertThat(capture(post("/e/").contentType("text/plain").body(SIMPLE_EVENT).build()).events()).hasSize(1);
            assertThat(capture(post("/e/").contentType("").body(SIMPLE_EVENT).build()).events()).hasSize(1);
            assertThat(capture(post("/e/").contentType("application/json; charset=utf-8").body(SIMPLE_EVENT).build())
                    .events()).hasSize(1);
        }

        @Test
        void stripsDataPrefixOfRawBase64Body() {
            String body = "data=" + URLEncoder.encode(RAW_BASE64_EVENT, StandardCharsets.UTF_8);

            CaptureBatch batch = capture(post("/e/").contentType("text/plain").body(body).build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("my_event1");
        }

        @Test
        void decodesRawUtf8FormBody() {
            // curl -d sends a form body without percent-encoding its UTF-8.
            String body = "data={\"event\":\"caf\u00e9 \u2615\",\"distinct_id\":\"d\",\"token\":\"phc_t\"}";

            CaptureBatch batch = capture(post("/e/").rawForm(body).build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("caf\u00e9 \u2615");
        }

        @Test
        void readsCompressionFromFormField() {
            String body = formEncode("data", LZSEncoding.compressToBase64(SIMPLE_EVENT), "compression", "lz64");

            CaptureBatch batch = capture(post("/e/").rawForm(body).build());

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::event).isEqualTo("e");
        }

        @Test
        void prefersQueryCompressionOverContentEncoding() {
            CaptureRequest request = post("/e/").query("compression", "lz64").contentEncoding("base64")
                    .json(LZSEncoding.compressToBase64(SIMPLE_EVENT)).build();

            assertThat(capture(request).events()).hasSize(1);
        }

        @Test
        void treatsCompressionCaseInsensitively() {
            CaptureRequest request = post("/e/").contentEncoding(" LZ64 ").json(LZSEncoding.compressToBase64(SIMPLE_EVENT))
                    .build();

            assertThat(capture(request).events()).hasSize(1);
        }

        @Test
        void decodesCompressionBase64FormBody() {
            String data = Base64.getEncoder().encodeToString(utf8(SIMPLE_EVENT));
            CaptureRequest request = post("/e/").form("data", data, "compression", "base64").build();

            CaptureBatch batch = capture(request);

            assertThat(batch.events()).singleElement().extracting(IncomingEvent::distinctId).isEqualTo("d");
        }

        @Test
        void decodesCompressionB64RawBody() {
            String data = Base64.getEncoder().encodeToString(utf8(SIMPLE_EVENT));

            CaptureBatch batch = capture(post("/e/").query("compression", "b64").body(data).build());

            assertThat(batch.events()).hasSize(1);
        }

        @Test
        void decodesUnpaddedBase64() {
            String json = utf8(SIMPLE_EVENT).length % 3 == 0 ? SIMPLE_EVENT + " " : SIMPLE_EVENT;
            String data = Base64.getEncoder().withoutPadding().encodeToString(utf8(json));
            assertThat(data.length() % 4).isNotZero();

            assertThat(capture(post("/e/").contentType("text/plain").body(data).build()).events()).hasSize(1);
        }

        @Test
        void decodesExplicitGzipHint() {
            CaptureRequest request = post("/e/").query("compression", "gzip-js").body(gzip(utf8(SIMPLE_EVENT))).build();

            assertThat(capture(request).events()).hasSize(1);
        }
    }

    @Nested
    class JsonReading {
        @Test
        void readsNanAndInfinityAsNull() {
            String json = "{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"phc_t\",\"properties\":{\"a\":NaN,"
                    + "\"b\":Infinity,\"c\":-Infinity,\"d\":[NaN,1.5,{\"e\":Infinity}],\"f\":2.5}}";

            JsonNode properties = capture(post("/e/").json(json).build()).events().getFirst().raw().get("properties");

            assertThat(properties.get("a").isNull()).isTrue();
            assertThat(properties.get("b").isNull()).isTrue();
            assertThat(properties.get("c").isNull()).isTrue();
            assertThat(properties.get("d").get(0).isNull()).isTrue();
            assertThat(properties.get("d").get(1).asDouble()).isEqualTo(1.5);
            assertThat(properties.get("d").get(2).get("e").isNull()).isTrue();
            assertThat(properties.get("f").asDouble()).isEqualTo(2.5);
        }

        @Test
        void readsNanAndInfinityInsideEventsOfAnArrayAsNull() {
            CaptureBatch batch = capture(post("/e/").json("[{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phc_t\","
                    + "\"properties\":{\"x\": Infinity, \"y\": [NaN, -Infinity, 1.5]}}]").build());

            assertThat(batch.events().getFirst().raw().get("properties").toString())
                    .isEqualTo("{\"x\":null,\"y\":[null,null,1.5]}");
        }

        @Test
        void aNanTokenIsNoToken() {
            CaptureException error = failure(() -> capture(post("/e/")
                    .json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":NaN}").build()));

            assertThat(error.error()).isEqualTo(CaptureError.MISSING_API_KEY);
        }

        @Test
        void rejectsTrailingCommaJsonAsMalformed() {
            CaptureException error = failure(() -> capture(
                    post("/capture/").json("{\"event\": \"incorrect json with trailing comma\",}").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.code()).isEqualTo("invalid_payload");
            assertThat(error.detail()).startsWith("Malformed request data: Invalid JSON");
        }

        @Test
        void rejectsTextThatIsNeitherJsonNorBase64() {
            CaptureException error = failure(() -> capture(post("/e/").contentType("text/plain")
                    .body("this is not json%").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).startsWith("Malformed request data: Invalid JSON");
        }

        @Test
        void rejectsTrailingGarbageAfterJson() {
            CaptureException error = failure(() -> capture(post("/e/").json(SIMPLE_EVENT + " garbage").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsJsonNullAsNoData() {
            CaptureException error = failure(() -> capture(post("/e/").json("null").build()));

            assertThat(error.error()).isEqualTo(CaptureError.NO_DATA);
        }
    }

    @Nested
    class EmptyAndBrokenBodies {
        @Test
        void rejectsEmptyBodyAsNoData() {
            CaptureException error = failure(() -> decoder().decode(post("/e/").json("").build()));

            assertThat(error.error()).isEqualTo(CaptureError.NO_DATA);
            assertThat(error.code()).isEqualTo("no_data");
            assertThat(error.detail()).isEqualTo("No data found. Make sure to use a POST request when sending the"
                    + " payload in the body of the request.");
        }

        @Test
        void rejectsWhitespaceBodyAsNoData() {
            assertThat(failure(() -> decoder().decode(post("/e/").json(" \n\t ").build())).error())
                    .isEqualTo(CaptureError.NO_DATA);
        }

        @Test
        void rejectsGetWithoutDataAsNoData() {
            assertThat(failure(() -> decoder().decode(get("/e/").build())).error()).isEqualTo(CaptureError.NO_DATA);
        }

        @Test
        void rejectsFormWithoutDataFieldAsNoData() {
            assertThat(failure(() -> decoder().decode(post("/e/").form("api_key", "phc_t").build())).error())
                    .isEqualTo(CaptureError.NO_DATA);
        }

        @Test
        void rejectsInvalidUtf8BodyAsInvalidPayload() {
            byte[] body = {'{', '"', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};

            CaptureException error = failure(() -> decoder().decode(post("/e/").contentType("text/plain").body(body).build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).containsIgnoringCase("UTF-8");
        }

        @Test
        void rejectsGzipOfInvalidUtf8AsInvalidPayload() {
            byte[] body = gzip(new byte[] {'[', (byte) 0xff, (byte) 0xfe, ']'});

            assertThat(failure(() -> decoder().decode(post("/e/").body(body).build())).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsTruncatedGzipAsInvalidPayload() {
            byte[] whole = gzip(utf8(SIMPLE_EVENT.repeat(50)));
            byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

            CaptureException error = failure(() -> decoder().decode(post("/e/").body(truncated).build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).startsWith("Malformed request data: Failed to decompress data.");
        }

        @Test
        void rejectsGzipHeaderAloneAsInvalidPayload() {
            byte[] body = {0x1f, (byte) 0x8b, 0x08};

            assertThat(failure(() -> decoder().decode(post("/e/").body(body).build())).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsCorruptGzipAsInvalidPayload() {
            byte[] body = gzip(utf8(SIMPLE_EVENT.repeat(50)));
            for (int i = 12; i < body.length - 8; i += 3) {
                body[i] = (byte) ~body[i];
            }

            assertThat(failure(() -> decoder().decode(post("/e/").body(body).build())).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsGzipWithBadCrcAsInvalidPayload() {
            byte[] body = gzip(utf8(SIMPLE_EVENT));
            body[body.length - 8] ^= 0x55;

            assertThat(failure(() -> decoder().decode(post("/e/").body(body).build())).error())
                    .isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsGzipHintOnPlainBodyAsInvalidPayload() {
            CaptureException error = failure(() -> decoder().decode(post("/e/").query("compression", "gzip")
                    .json(SIMPLE_EVENT).build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).startsWith("Malformed request data: Failed to decompress data");
        }

        @Test
        void rejectsLiteralUndefinedGzipBody() {
            CaptureException error = failure(() -> decoder().decode(post("/e/").query("compression", "gzip-js")
                    .contentType("text/plain").body("undefined").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
            assertThat(error.detail()).contains("undefined");
        }

        @Test
        void rejectsUndecodableLz64AsInvalidPayload() {
            CaptureException error = failure(() -> decoder().decode(post("/e/").contentEncoding("lz64")
                    .json("!!!!").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @Test
        void rejectsInvalidBase64WithBase64CompressionAsInvalidPayload() {
            CaptureException error = failure(() -> decoder().decode(post("/e/").form("data", "%%%not base64!!",
                    "compression", "base64").build()));

            assertThat(error.error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "gzip", "gzip-js", "lz64", "lz-string", "base64", "b64", "br"})
        void failsOnlyWithCaptureExceptionOnRandomBodies(String compression) {
            Random random = new Random(compression.hashCode());
            for (int i = 0; i < 300; i++) {
                byte[] body = new byte[1 + random.nextInt(200)];
                random.nextBytes(body);
                if (i % 3 == 0) {
                    body[0] = 0x1f;
                    body[1 % body.length] = (byte) 0x8b;
                    if (body.length > 2) {
                        body[2] = 0x08;
                    }
                } else if (i % 3 == 1) {
                    // Printable text: what base64 and lz64 decoders really see.
                    for (int j = 0; j < body.length; j++) {
                        body[j] = (byte) (33 + Math.floorMod(body[j], 94));
                    }
                }
                CaptureRequest request = post("/e/").contentEncoding(compression).contentType("text/plain").body(body)
                        .build();
                try {
                    decoder().decode(request);
                } catch (CaptureException expected) {
                    assertThat(expected.error()).isIn(CaptureError.INVALID_PAYLOAD, CaptureError.NO_DATA,
                            CaptureError.PAYLOAD_TOO_LARGE);
                }
            }
        }
    }

    @Nested
    class SizeLimits {
        @Test
        void capsGzipBomb() throws IOException {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 50; i++) {
                    gz.write(zeros);
                }
            }
            byte[] bomb = compressed.toByteArray();
            assertThat(bomb.length).isLessThan(1 << 20);

            CaptureException error = failure(() -> new PayloadDecoder(new Limits(1 << 20))
                    .decode(post("/e/").contentType("text/plain").body(bomb).build()));

            assertThat(error.error()).isEqualTo(CaptureError.PAYLOAD_TOO_LARGE);
            assertThat(error.code()).isEqualTo("payload_too_large");
        }

        @Test
        void acceptsGzipThatInflatesToExactlyTheLimit() {
            byte[] json = utf8(SIMPLE_EVENT);

            CaptureBatch batch = capture(post("/e/").body(gzip(json)).build(), json.length);

            assertThat(batch.events()).hasSize(1);
        }

        @Test
        void rejectsGzipOneByteOverTheLimit() {
            byte[] json = utf8(SIMPLE_EVENT);

            CaptureException error = failure(() -> new PayloadDecoder(new Limits(json.length - 1))
                    .decode(post("/e/").body(gzip(json)).build()));

            assertThat(error.error()).isEqualTo(CaptureError.PAYLOAD_TOO_LARGE);
        }

        @Test
        void capsLz64Expansion() {
            String json = "{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"phc_t\",\"properties\":{\"x\":\""
                    + "a".repeat(100_000) + "\"}}";
            String compressed = LZSEncoding.compressToBase64(json);
            assertThat(compressed.length()).isLessThan(10_000);

            CaptureException error = failure(() -> new PayloadDecoder(new Limits(10_000))
                    .decode(post("/e/").contentEncoding("lz64").json(compressed).build()));

            assertThat(error.error()).isEqualTo(CaptureError.PAYLOAD_TOO_LARGE);
        }

        @Test
        void capsLz64BombWhileDecoding() {
            String bomb = TestRequests.lz64Bomb(100_000);
            assertThat(bomb.length()).isLessThan(300_000);
            assertThat(TestRequests.lz64BombLength(100_000)).isGreaterThan(Integer.MAX_VALUE);

            CaptureException error = failure(() -> decoder().decode(post("/e/").contentEncoding("lz64").json(bomb).build()));

            assertThat(error.error()).isEqualTo(CaptureError.PAYLOAD_TOO_LARGE);
        }
    }

    private static PayloadDecoder decoder() {
        return new PayloadDecoder(new Limits(TestRequests.DEFAULT_LIMIT));
    }
}
