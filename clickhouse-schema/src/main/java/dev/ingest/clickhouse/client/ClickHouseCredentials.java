package dev.ingest.clickhouse.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Who a {@link ClickHouseHttpClient} logs in as, sent with HTTP basic authentication (which the 18.16 server and
 * current ones both read). The password is never part of a URL, so it cannot end up in a query log.
 */
public record ClickHouseCredentials(String user, String password) {
    public ClickHouseCredentials {
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(password, "password is null");
    }

    /**
     * {@code CLICKHOUSE_USER} (default {@code default}) and {@code CLICKHOUSE_PASSWORD} (default empty), from system
     * properties or the environment, as {@code ./platform} writes them to {@code stack.env}.
     */
    public static ClickHouseCredentials fromEnvironment() {
        return new ClickHouseCredentials(setting("CLICKHOUSE_USER", "default"), setting("CLICKHOUSE_PASSWORD", ""));
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public String toString() {
        return "ClickHouseCredentials[user=" + user + ", password=****]";
    }
}
