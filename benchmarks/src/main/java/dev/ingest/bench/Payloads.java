package dev.ingest.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/** Events shaped like those posthog-js 1.449 sends from a browser: a $pageview with the usual browser properties. */
final class Payloads {
    private Payloads() {}

    static String pageview(String token, int distinctIds) {
        return pageview(token, distinctIds, UUID.randomUUID().toString());
    }

    static String pageview(String token, int distinctIds, String uuid) {
        int user = ThreadLocalRandom.current().nextInt(distinctIds);
        String distinctId = "0192e0b4-5d9a-7c3e-9f10-" + String.format("%012d", user);
        return pageview(token, uuid, distinctId, distinctId, "0192e0b4-5d9a-7c3e-9f10-aaaaaaaaaaaa", user % 97, "");
    }

    /**
     * A $pageview of one browser: {@code deviceId} stays the same over the browser's sessions while
     * {@code distinctId} becomes the user's id after an identify; {@code extraProperties} (empty, or
     * {@code ,"key":value...}) is appended to the properties.
     */
    static String pageview(String token, String uuid, String distinctId, String deviceId, String sessionId, int page,
            String extraProperties) {
        return "{\"uuid\":\"" + uuid + "\",\"event\":\"$pageview\",\"properties\":{"
                + "\"$os\":\"Linux\",\"$browser\":\"Chrome\",\"$device_type\":\"Desktop\","
                + "\"$current_url\":\"https://shop.example.com/products/" + page + "?ref=home\","
                + "\"$host\":\"shop.example.com\",\"$pathname\":\"/products/" + page + "\","
                + "\"$raw_user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\","
                + "\"$browser_version\":156,\"$browser_language\":\"en-US\",\"$browser_language_prefix\":\"en\","
                + "\"$screen_height\":1080,\"$screen_width\":1920,\"$viewport_height\":947,\"$viewport_width\":1920,"
                + "\"$lib\":\"web\",\"$lib_version\":\"1.449.2\",\"$insert_id\":\"" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\","
                + "\"$time\":1795312375.999,\"distinct_id\":\"" + distinctId + "\",\"$device_id\":\"" + deviceId + "\","
                + "\"$is_identified\":" + !distinctId.equals(deviceId) + ",\"$process_person_profile\":true,"
                + "\"$timezone\":\"Europe/Berlin\",\"$timezone_offset\":-60,"
                + "\"$referrer\":\"$direct\",\"$referring_domain\":\"$direct\",\"$session_id\":\"" + sessionId + "\","
                + "\"$window_id\":\"" + sessionId + "-w\",\"$pageview_id\":\"" + UUID.randomUUID() + "\","
                + "\"title\":\"Products\",\"token\":\"" + token + "\"" + extraProperties + "},\"timestamp\":\"2026-11-22T01:52:56.465Z\"}";
    }

    static String batch(String token, int size, int distinctIds) {
        StringBuilder batch = new StringBuilder("{\"api_key\":\"").append(token).append("\",\"sent_at\":\"2026-11-22T01:52:56.500Z\",\"batch\":[");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append(pageview(token, distinctIds));
        }
        return batch.append("]}").toString();
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
