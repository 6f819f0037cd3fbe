package dev.ingest.e2e.hostile;

import static dev.ingest.e2e.hostile.Payloads.utf8;

import dev.ingest.e2e.hostile.HostileRequest.Header;
import dev.ingest.e2e.hostile.HostileRequest.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The malformed requests of issue 7 for capture, decide's flag endpoints and the management API, each with the one
 * status README.md promises for it: 4xx for what cannot be accepted, 2xx for what PostHog accepts however odd
 * (a distinct id that is an object, a timestamp that is no time, a 10,000-event batch within the size cap). Never a
 * 5xx. Bodies are built once per call; the gzip bomb is shared.
 */
public final class HostileRequests {
    /** Every capture route, with and without the trailing slash where SDKs use both. */
    public static final List<String> CAPTURE_ROUTES = List.of("/e/", "/e", "/capture/", "/i/v0/e/", "/track/", "/engage/",
            "/batch/", "/batch");
    public static final List<String> DECIDE_ROUTES = List.of("/decide/?v=3", "/decide/?v=4", "/flags/?v=2", "/flags");
    private static final Header JSON = new Header("Content-Type", "application/json");
    private static final Header FORM = new Header("Content-Type", "application/x-www-form-urlencoded");
    private static final int DEEP = 100_000;
    /** Deep, but under Jackson's nesting limit of 500 (the event and properties objects count too). */
    private static final int DEEP_BUT_ALLOWED = 300;

    private final List<HostileRequest> requests = new ArrayList<>();

    private HostileRequests() {}

    // -----------------------------------------------------------------------------------------------------------
    // capture

    /** Everything for capture, sent with {@code token} (a real project's) where a token is needed. */
    public static List<HostileRequest> capture(String token) {
        HostileRequests cases = new HostileRequests();
        for (String route : CAPTURE_ROUTES) {
            cases.captureWrongTypes(route, token);
            cases.captureEncodings(route, token);
        }
        cases.captureSizes(token);
        return List.copyOf(cases.requests);
    }

    private void captureWrongTypes(String route, String token) {
        boolean engage = route.startsWith("/engage");
        // The event name: /engage forces it to $identify, so there any value is accepted.
        for (String value : List.of("42", "true", "{}", "[]", "null")) {
            capture(route, "event is " + value, event(token, "event", value), engage ? 200 : 400);
        }
        capture(route, "event missing", event(token, "event", null), engage ? 200 : 400);
        capture(route, "event is empty (skipped)", event(token, "event", "\"\""), 200);
        // distinct_id: non-strings become their JSON text, as capture-rs does; blank or missing is refused.
        for (String value : List.of("42", "true", "{\"b\":1,\"a\":[1,{}]}", "[]", "1e308", Payloads.nestedObjects(100))) {
            capture(route, "distinct_id is " + abbreviate(value), event(token, "distinct_id", value), 200);
        }
        for (String value : List.of("null", "\"\"")) {
            capture(route, "distinct_id is " + value, event(token, "distinct_id", value), 400);
        }
        capture(route, "distinct_id missing", event(token, "distinct_id", null), 400);
        // properties: an object or nothing.
        for (String value : List.of("\"text\"", "[]", "42", "true")) {
            capture(route, "properties is " + value, event(token, "properties", value), 400);
        }
        capture(route, "properties is null", event(token, "properties", "null"), 200);
        // Fields capture passes through; the plugin service copes (warnings, server time).
        for (String[] field : new String[][] {
                {"timestamp", "42"}, {"timestamp", "{}"}, {"timestamp", "[1,2]"}, {"timestamp", "\"not a time\""},
                {"timestamp", "\"+999999999-12-31T23:59:59Z\""}, {"timestamp", "\"-000001-01-01T00:00:00Z\""},
                {"timestamp", "\"1969-12-31T23:59:59Z\""}, {"timestamp", "\"2021-13-45T25:61:61Z\""},
                {"offset", "\"soon\""}, {"offset", "1e300"}, {"offset", "-1e300"}, {"offset", "99999999999999999999999"},
                {"sent_at", "{}"}, {"sent_at", "42"}, {"sent_at", "\"garbage\""}, {"$set", "\"text\""},
                {"$set_once", "[1]"}, {"$unset", "42"}, {"uuid", "\"\""}, {"uuid", "null"}}) {
            capture(route, field[0] + " is " + field[1], event(token, field[0], field[1]), 200);
        }
        for (String[] property : new String[][] {
                {"$set", "\"text\""}, {"$set_once", "42"}, {"$unset", "{\"a\":1}"}, {"$process_person_profile", "\"maybe\""},
                {"$elements", "\"text\""}, {"$elements", "[{\"tag_name\":42,\"attr__class\":{},\"nth_child\":\"x\"}]"},
                {"$elements_chain", "42"}, {"$ip", "{}"}, {"$groups", "\"text\""}, {"$group_type", "[]"},
                {"$ignore_sent_at", "\"yes\""}, {"$anon_distinct_id", "{}"}, {"$os_name", "[]"}}) {
            capture(route, "properties." + property[0] + " is " + property[1],
                    event(token, "properties", "{\"" + property[0] + "\":" + property[1] + "}"), 200);
        }
        capture(route, "$cookieless_mode is a string",
                event(token, "properties", "{\"$cookieless_mode\":\"yes\"}"), 400);
        // uuid: a valid one or none.
        for (String value : List.of("42", "{}", "\"not-a-uuid\"", "\"00000000-0000-0000-0000-00000000000g\"",
                "\"" + UUID.randomUUID() + "-extra\"")) {
            capture(route, "uuid is " + value, event(token, "uuid", value), 400);
        }
        // The token, in every place it may be.
        for (String value : List.of("42", "{}", "[\"" + token + "\"]", "true", "\"\"", "null",
                "\"phx_personal_key_not_a_project_token\"", "\"phc_unknown_" + UUID.randomUUID() + "\"",
                "\"" + token + "\\u0000\"", "\"" + "a".repeat(10_000) + "\"")) {
            capture(route, "api_key is " + abbreviate(value), event(token, "api_key", value), 401);
        }
        capture(route, "api_key missing", event(token, "api_key", null), 401);
        capture(route, "two different tokens", "[" + event(token) + "," + event("phc_other_" + UUID.randomUUID()) + "]", 401);
        // The batch object.
        for (String value : List.of("{}", "\"text\"", "42", "null", "[]", "[1]", "[null]", "[[]]")) {
            capture(route, "batch is " + value, "{\"api_key\":\"" + token + "\",\"batch\":" + value + "}", 400);
        }
        capture(route, "batch token is a number", "{\"token\":42,\"batch\":[" + event(null) + "]}", 401);
        capture(route, "batch historical_migration is a string",
                "{\"api_key\":\"" + token + "\",\"historical_migration\":\"yes\",\"batch\":[" + event(null) + "]}", 200);
        // NUL characters: escaped ones are data (stored with U+FFFD where PostgreSQL needs it); raw ones are no JSON.
        capture(route, "escaped NUL in event, distinct_id, property key and value",
                event(token, "event", "\"e\\u0000\"", "distinct_id", "\"d\\u0000\"", "properties", "{\"k\\u0000\":\"v\\u0000\"}"), 200);
        request(Target.CAPTURE, "raw NUL byte inside a string", "POST", route,
                Payloads.withRawBytes("{\"api_key\":\"" + token + "\",\"event\":\"e", new byte[] {0}, "\",\"distinct_id\":\"d\"}"),
                400, JSON);
        request(Target.CAPTURE, "body of NUL bytes", "POST", route, new byte[1024], 400, JSON);
        // Not JSON at all.
        for (String body : List.of("null", "42", "\"text\"", "{\"api_key\":", "{]", "{\"a\":1}{\"b\":2}", "<xml/>", "undefined")) {
            capture(route, "body " + body, body, 400);
        }
        request(Target.CAPTURE, "empty body", "POST", route, new byte[0], 400, JSON);
        request(Target.CAPTURE, "whitespace body", "POST", route, utf8(" \n\t "), 400, JSON);
        request(Target.CAPTURE, "GET with garbage data", "GET", route + "?data=%%zz%ZZ&compression=lz64", null, 400);
        request(Target.CAPTURE, "PUT", "PUT", route, utf8(event(token)), 405, JSON);
    }

    private void captureEncodings(String route, String token) {
        byte[] valid = utf8(event(token));
        request(Target.CAPTURE, "truncated gzip", "POST", route + "?compression=gzip", Payloads.truncatedGzip(valid), 400,
                JSON);
        request(Target.CAPTURE, "corrupt gzip", "POST", route, Payloads.corruptGzip(valid), 400,
                new Header("Content-Encoding", "gzip"));
        request(Target.CAPTURE, "gzip header only", "POST", route + "?compression=gzip-js",
                Arrays.copyOf(Payloads.gzip(valid), 10), 400, JSON);
        request(Target.CAPTURE, "gzip of no JSON", "POST", route, Payloads.gzip(utf8("{not json")), 400, JSON);
        request(Target.CAPTURE, "Content-Encoding gzip on plain JSON", "POST", route, valid, 400,
                new Header("Content-Encoding", "gzip"), JSON);
        request(Target.CAPTURE, "unknown Content-Encoding on plain JSON", "POST", route, valid, 200,
                new Header("Content-Encoding", "br"), JSON);
        request(Target.CAPTURE, "lz64 garbage", "POST", route + "?compression=lz64", utf8("@@@###!!!not-lz-string"), 400,
                FORM);
        request(Target.CAPTURE, "lz64 of random base64", "POST", route + "?compression=lz64",
                utf8(Base64.getEncoder().encodeToString(Payloads.garbage(3000, 7))), 400, JSON);
        request(Target.CAPTURE, "base64 garbage", "POST", route + "?compression=base64", utf8("!!!***%%%"), 400, JSON);
        request(Target.CAPTURE, "base64 of random bytes", "POST", route + "?compression=base64",
                utf8(Base64.getEncoder().encodeToString(Payloads.garbage(3000, 11))), 400, JSON);
        request(Target.CAPTURE, "base64 without a hint, of random bytes", "POST", route,
                utf8(Base64.getEncoder().encodeToString(Payloads.garbage(3000, 13))), 400, JSON);
        request(Target.CAPTURE, "form data= garbage", "POST", route, utf8("data=%%%garbage%ZZ&compression=lz64"), 400, FORM);
        request(Target.CAPTURE, "form without data", "POST", route, utf8("foo=bar&compression=gzip"), 400, FORM);
        request(Target.CAPTURE, "form content type on a JSON body", "POST", route, valid, 400, FORM);
        request(Target.CAPTURE, "multipart content type on a JSON body", "POST", route, valid, 400,
                new Header("Content-Type", "multipart/form-data; boundary=x"));
        request(Target.CAPTURE, "XML content type on a JSON body", "POST", route, valid, 200,
                new Header("Content-Type", "application/xml"));
        request(Target.CAPTURE, "UTF-16 charset claimed on a UTF-8 JSON body", "POST", route, valid, 200,
                new Header("Content-Type", "application/json; charset=utf-16"));
        request(Target.CAPTURE, "unparseable content type", "POST", route, valid, 200,
                new Header("Content-Type", ";;;=/=;"));
        request(Target.CAPTURE, "garbage query parameters", "POST", route + "?compression=%ZZ&_=abc&beacon=%00&ver=%",
                valid, 200, JSON);
        request(Target.CAPTURE, "X-Forwarded-For garbage", "POST", route, valid, 200, JSON,
                new Header("X-Forwarded-For", "<script>alert(1)</script>, ::::, 999.999.999.999"));
        // Invalid UTF-8 inside a string: a byte that never appears, an overlong '/', an encoded surrogate, a cut sequence.
        for (byte[] raw : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82})) {
            request(Target.CAPTURE, "invalid UTF-8 " + HexFormat.of().formatHex(raw), "POST", route,
                    Payloads.withRawBytes("{\"api_key\":\"" + token + "\",\"event\":\"e", raw, "\",\"distinct_id\":\"d\"}"),
                    400, JSON);
        }
        request(Target.CAPTURE, "invalid UTF-8 in gzip", "POST", route,
                Payloads.gzip(Payloads.withRawBytes("{\"api_key\":\"" + token + "\",\"event\":\"", new byte[] {(byte) 0xfe},
                        "\",\"distinct_id\":\"d\"}")), 400, JSON);
        // Nesting: Jackson refuses beyond 500 levels, before any recursion of ours.
        capture(route, "100k nested arrays in properties", event(token, "properties", "{\"deep\":" + Payloads.nestedArrays(DEEP) + "}"),
                400);
        capture(route, "100k nested objects", Payloads.nestedObjects(DEEP), 400);
        capture(route, "100k unclosed arrays", "[".repeat(DEEP), 400);
        capture(route, "300 nested arrays in properties (allowed)",
                event(token, "properties", "{\"deep\":" + Payloads.nestedArrays(DEEP_BUT_ALLOWED) + "}"), 200);
    }

    /** The expensive ones, sent to one event route and the batch route. */
    private void captureSizes(String token) {
        for (String route : List.of("/e/", "/batch/")) {
            boolean batch = route.startsWith("/batch");
            request(Target.CAPTURE, "gzip bomb (256 MiB of zeros)", "POST", route, Payloads.gzipBomb(), 413, JSON);
            request(Target.CAPTURE, "gzip bomb behind ?compression=gzip-js", "POST", route + "?compression=gzip-js",
                    Payloads.gzipBomb(), 413, new Header("Content-Type", "text/plain"));
            capture(route, "900,000-character property (under the per-event limit)",
                    event(token, "properties", "{\"big\":\"" + "x".repeat(900_000) + "\"}"), 200);
            capture(route, "1,500,000-character property (over the per-event limit)",
                    event(token, "properties", "{\"big\":\"" + "x".repeat(1_500_000) + "\"}"), 413);
            capture(route, "2.5 MB event (over the event body or per-event limit)",
                    event(token, "properties", "{\"big\":\"" + "x".repeat(2_500_000) + "\"}"), 413);
            capture(route, "array of 200,000 numbers", event(token, "properties", "{\"list\":[" + "0,".repeat(199_999) + "0]}"),
                    200);
            capture(route, "object of 50,000 properties", event(token, "properties", manyProperties(50_000)), 200);
            capture(route, "100,000-character event name", event(token, "event", "\"" + "n".repeat(100_000) + "\""), 200);
            capture(route, "100,000-character distinct_id", event(token, "distinct_id", "\"" + "d".repeat(100_000) + "\""), 200);
            capture(route, "10,000-event " + (batch ? "batch" : "array"), tenThousand(token, batch, false), 200);
            capture(route, "10,000-event batch with one invalid uuid", tenThousand(token, batch, true), 400);
            request(Target.CAPTURE, "chunked body over the limit", "POST", route,
                    utf8(event(token, "properties", "{\"big\":\"" + "x".repeat(batch ? 21_000_000 : 2_100_000) + "\"}")),
                    413, JSON, new Header("Transfer-Encoding", "chunked"));
        }
        request(Target.CAPTURE, "21 MB batch body", "POST", "/batch/", utf8("[" + (event(token) + ",").repeat(200_000)
                + event(token) + "]"), 413, JSON);
        request(Target.CAPTURE, "a Content-Length of 10 GB", "POST", "/e/", utf8(event(token)), 413, JSON,
                new Header("Content-Length", "10737418240"));
    }

    // -----------------------------------------------------------------------------------------------------------
    // decide

    /** Everything for /decide and /flags, with {@code token} a real project's. */
    public static List<HostileRequest> decide(String token) {
        HostileRequests cases = new HostileRequests();
        for (String route : DECIDE_ROUTES) {
            String valid = "{\"token\":\"" + token + "\",\"distinct_id\":\"hostile\"}";
            cases.decide(route, "truncated gzip", Payloads.truncatedGzip(utf8(valid)), 400);
            cases.decide(route, "corrupt gzip", Payloads.corruptGzip(utf8(valid)), 400);
            cases.decide(route, "gzip bomb", Payloads.gzipBomb(), 413);
            cases.decide(route, "gzip of no JSON", Payloads.gzip(utf8("{not json")), 400);
            cases.decide(route, "invalid UTF-8", Payloads.withRawBytes("{\"token\":\"" + token + "\",\"distinct_id\":\"",
                    new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}"), 400);
            cases.decide(route, "100k nested arrays", utf8("{\"token\":\"" + token + "\",\"distinct_id\":\"d\",\"person_properties\":"
                    + "{\"a\":" + Payloads.nestedArrays(DEEP) + "}}"), 400);
            cases.decide(route, "300 nested arrays (allowed)", utf8("{\"token\":\"" + token + "\",\"distinct_id\":\"d\","
                    + "\"person_properties\":{\"a\":" + Payloads.nestedArrays(DEEP_BUT_ALLOWED) + "}}"), 200);
            cases.decide(route, "body over 1 MB", utf8("{\"token\":\"" + token + "\",\"distinct_id\":\"" + "d".repeat(1_100_000)
                    + "\"}"), 413);
            cases.decide(route, "500,000-character distinct_id", utf8("{\"token\":\"" + token + "\",\"distinct_id\":\""
                    + "d".repeat(500_000) + "\"}"), 200);
            cases.decide(route, "person_properties with 20,000 keys", utf8("{\"token\":\"" + token + "\",\"distinct_id\":\"d\","
                    + "\"person_properties\":" + manyProperties(20_000) + "}"), 200);
            for (String body : List.of("[]", "null", "42", "\"text\"", "{\"token\":", "garbage", "{\"a\":1}{")) {
                cases.decide(route, "body " + body, utf8(body), 400);
            }
            cases.decide(route, "empty body", new byte[0], 401);
            cases.request(Target.DECIDE, "form data= garbage", "POST", route, utf8("data=!!!%%%"), 400, FORM);
            cases.request(Target.DECIDE, "base64 garbage", "POST", route + (route.contains("?") ? "&" : "?") + "compression=base64",
                    utf8("!!!***"), 400, JSON);
            for (String value : List.of("42", "{}", "[]", "\"\"", "null", "\"phc_unknown_" + UUID.randomUUID() + "\"",
                    "\"" + token + "\\u0000\"", "\"" + "t".repeat(10_000) + "\"")) {
                cases.decide(route, "token is " + abbreviate(value), utf8("{\"token\":" + value + ",\"distinct_id\":\"d\"}"), 401);
            }
            for (String value : List.of("42", "{\"a\":[1]}", "[]", "true", "\"d\\u0000\"", "\"'; DROP TABLE person; --\"")) {
                cases.decide(route, "distinct_id is " + value, utf8("{\"token\":\"" + token + "\",\"distinct_id\":" + value + "}"),
                        200);
            }
            for (String value : List.of("null", "\"\"")) {
                cases.decide(route, "distinct_id is " + value, utf8("{\"token\":\"" + token + "\",\"distinct_id\":" + value + "}"),
                        400);
            }
            for (String[] field : new String[][] {{"groups", "\"text\""}, {"groups", "{\"company\":{\"a\":[]}}"},
                    {"person_properties", "[]"}, {"person_properties", "{\"k\\u0000\":\"v\\u0000\"}"},
                    {"group_properties", "\"text\""}, {"group_properties", "{\"company\":[1]}"},
                    {"flag_keys_to_evaluate", "[{},[],1,null]"}, {"flag_keys_to_evaluate", "\"text\""},
                    {"disable_flags", "\"yes\""}, {"$anon_distinct_id", "{}"}, {"$device_id", "[]"}}) {
                cases.decide(route, field[0] + " is " + field[1], utf8("{\"token\":\"" + token + "\",\"distinct_id\":\"d\",\""
                        + field[0] + "\":" + field[1] + "}"), 200);
            }
            cases.request(Target.DECIDE, "PUT", "PUT", route, utf8(valid), 405, JSON);
        }
        return List.copyOf(cases.requests);
    }

    // -----------------------------------------------------------------------------------------------------------
    // management API

    /**
     * Bad JSON and bad keys for the management API; {@code key} is a personal API key scoped to {@code project} (not to
     * {@code outsideProject}), {@code staticCohort} a static cohort of it. None of these may create anything.
     */
    public static List<HostileRequest> managementApi(String key, long project, long staticCohort, long outsideProject) {
        HostileRequests cases = new HostileRequests();
        Header auth = new Header("Authorization", "Bearer " + key);
        String flags = "/api/projects/" + project + "/feature_flags/";
        String cohorts = "/api/projects/" + project + "/cohorts/";
        for (String path : List.of(flags, cohorts, "/api/personal_api_keys/")) {
            for (String body : List.of("{\"key\":", "[]", "null", "42", "\"text\"", "{]", "{\"a\":1}{\"b\":2}",
                    "{\"key\":\"a\",\"key\":\"b\"}", Payloads.nestedObjects(DEEP), "[".repeat(DEEP))) {
                cases.request(Target.MANAGEMENT_API, "body " + abbreviate(body), "POST", path, utf8(body), 400, JSON, auth);
            }
            cases.request(Target.MANAGEMENT_API, "invalid UTF-8", "POST", path,
                    Payloads.withRawBytes("{\"name\":\"", new byte[] {(byte) 0xff}, "\"}"), 400, JSON, auth);
            cases.request(Target.MANAGEMENT_API, "form body", "POST", path, utf8("name=x&key=y"), 415, FORM, auth);
            cases.request(Target.MANAGEMENT_API, "no key", "POST", path, utf8("{\"name\":\"x\",\"key\":\"x\"}"), 401, JSON);
            cases.request(Target.MANAGEMENT_API, "unknown key", "POST", path, utf8("{\"name\":\"x\"}"), 401, JSON,
                    new Header("Authorization", "Bearer phx_" + "z".repeat(43)));
            // Tomcat refuses headers over 8 KB itself, before any code of ours.
            cases.request(Target.MANAGEMENT_API, "10,000-character key", "POST", path, utf8("{\"name\":\"x\"}"), 400, JSON,
                    new Header("Authorization", "Bearer phx_" + "z".repeat(10_000)));
            cases.request(Target.MANAGEMENT_API, "Basic auth", "POST", path, utf8("{\"name\":\"x\"}"), 401, JSON,
                    new Header("Authorization", "Basic " + key));
        }
        for (String body : List.of("{\"key\":42}", "{\"key\":\"a b\"}", "{\"key\":\"ok\",\"filters\":\"text\"}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":\"text\"}}", "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"properties\":\"x\"}]}}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"rollout_percentage\":\"lots\"}]}}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"rollout_percentage\":1e999}]}}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":{},\"value\":1}]}]}}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"a\",\"operator\":\"bogus\",\"value\":1}]}]}}",
                "{\"key\":\"ok\",\"filters\":{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":70}]}}}",
                "{\"key\":\"ok\",\"name\":\"x\\u0000\"}", "{\"key\":\"ok\",\"active\":\"maybe\"}",
                "{\"key\":\"ok\",\"filters\":{\"aggregation_group_type_index\":99}}",
                "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"properties\":[{\"type\":\"cohort\",\"key\":\"id\",\"value\":987654321}]}]}}",
                "{\"key\":\"" + "k".repeat(1_000_000) + "\"}")) {
            cases.request(Target.MANAGEMENT_API, "flag " + abbreviate(body), "POST", flags, utf8(body), 400, JSON, auth);
        }
        for (String body : List.of("{\"name\":42}", "{\"name\":\"c\",\"filters\":\"text\"}",
                "{\"name\":\"c\",\"filters\":{\"properties\":{\"type\":\"XOR\",\"values\":[]}}}",
                "{\"name\":\"c\",\"is_static\":\"maybe\"}")) {
            cases.request(Target.MANAGEMENT_API, "cohort " + body, "POST", cohorts, utf8(body), 400, JSON, auth);
        }
        cases.request(Target.MANAGEMENT_API, "10,001 distinct ids for a static cohort", "POST",
                cohorts + staticCohort + "/persons/", utf8("{\"distinct_ids\":[" + "\"d\",".repeat(10_000) + "\"d\"]}"), 400,
                JSON, auth);
        cases.request(Target.MANAGEMENT_API, "distinct ids not a list", "POST", cohorts + staticCohort + "/persons/",
                utf8("{\"distinct_ids\":\"d\"}"), 400, JSON, auth);
        for (String body : List.of("{\"name\":42}", "{\"anonymize_ips\":\"maybe\"}", "{\"name\":\"\\u0000\"}")) {
            cases.request(Target.MANAGEMENT_API, "project " + body, "PATCH", "/api/projects/" + project + "/", utf8(body), 400,
                    JSON, auth);
        }
        for (String body : List.of("{\"label\":{}}", "{\"label\":\"k\",\"scoped_teams\":\"x\"}",
                "{\"label\":\"k\",\"scoped_teams\":[\"x\"]}")) {
            cases.request(Target.MANAGEMENT_API, "key " + body, "POST", "/api/personal_api_keys/", utf8(body), 400, JSON, auth);
        }
        for (String query : List.of("?limit=abc", "?limit=-1", "?offset=1e99", "?limit=1;DROP%20TABLE%20team", "?limit=%00")) {
            cases.request(Target.MANAGEMENT_API, "list " + query, "GET", flags + query, null, 400, auth);
        }
        cases.request(Target.MANAGEMENT_API, "a project outside the key's scope", "GET", "/api/projects/" + outsideProject + "/",
                null, 403, auth);
        return List.copyOf(cases.requests);
    }

    // -----------------------------------------------------------------------------------------------------------
    // helpers

    private void capture(String route, String name, String body, int expected) {
        request(Target.CAPTURE, name, "POST", route, utf8(body), expected, JSON);
    }

    private void decide(String route, String name, byte[] body, int expected) {
        request(Target.DECIDE, name, "POST", route, body, expected, JSON);
    }

    private void request(Target target, String name, String method, String path, byte[] body, int expected, Header... headers) {
        requests.add(new HostileRequest(name, target, method, path, List.of(headers), body, expected));
    }

    /** A well-formed event; {@code fieldValues} replace fields (a null value removes the field). */
    static String event(String token, String... fieldValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (token != null) {
            fields.put("api_key", "\"" + token + "\"");
        }
        fields.put("event", "\"hostile\"");
        fields.put("distinct_id", "\"hostile-user\"");
        fields.put("properties", "{\"source\":\"hostile\"}");
        for (int i = 0; i + 1 < fieldValues.length; i += 2) {
            fields.put(fieldValues[i], fieldValues[i + 1]);
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((field, value) -> {
            if (value != null) {
                json.append(json.length() > 1 ? "," : "").append('"').append(field).append("\":").append(value);
            }
        });
        return json.append('}').toString();
    }

    private static String manyProperties(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    private static String tenThousand(String token, boolean batchObject, boolean oneInvalid) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String uuid = oneInvalid && i == 9_999 ? "not-a-uuid" : UUID.randomUUID().toString();
            events.append(i == 0 ? "" : ",").append("{\"event\":\"bulk\",\"distinct_id\":\"bulk-").append(i % 100)
                    .append("\",\"uuid\":\"").append(uuid).append("\",\"properties\":{\"i\":").append(i)
                    .append(batchObject ? "" : ",\"token\":\"" + token + "\"").append("}}");
        }
        return batchObject
                ? "{\"api_key\":\"" + token + "\",\"batch\":[" + events + "]}"
                : "[" + events + "]";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 30) + "...(" + text.length() + " chars)";
    }
}
