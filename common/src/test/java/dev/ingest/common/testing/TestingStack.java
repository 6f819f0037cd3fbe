package dev.ingest.common.testing;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the real stack of {@code ./platform test} listens. Every integration test reaches Kafka, PostgreSQL and
 * ClickHouse through this class; a missing address fails the test, it never skips it.
 */
public final class TestingStack {
    private TestingStack() {}

    public static String kafkaBootstrapServers() {
        return required("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** The JDBC URL of the stack's main database; tests create their own databases beside it. */
    public static String postgresUrl() {
        return required("POSTGRES_URL");
    }

    public static String postgresUser() {
        return required("POSTGRES_USER");
    }

    /** The password of {@link #postgresUser()} (the stack makes one; empty for a server that asks none). */
    public static String postgresPassword() {
        String value = System.getProperty("POSTGRES_PASSWORD", System.getenv("POSTGRES_PASSWORD"));
        return value == null ? "" : value;
    }

    public static List<URI> clickhouseUrls() {
        return Arrays.stream(required("CLICKHOUSE_URLS").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(URI::create)
                .toList();
    }

    /** The supervisord configuration of the stack's supervised services (capture and decide, as `up` runs them). */
    public static String supervisorConf() {
        return required("SUPERVISOR_CONF");
    }

    /** The supervised capture-service of the stack. */
    public static URI supervisedCaptureUrl() {
        return URI.create(required("CAPTURE_URL"));
    }

    /** The stack's public address (the proxy in front of the supervised services). */
    public static URI publicUrl() {
        return URI.create(required("PUBLIC_URL"));
    }

    /** Every service instance of the stack by name (capture-service-1, ...), from SERVICE_URLS (NAME=URL,...). */
    public static Map<String, URI> serviceUrls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        for (String entry : required("SERVICE_URLS").split(",")) {
            String[] parts = entry.trim().split("=", 2);
            if (parts.length == 2) {
                urls.put(parts[0], URI.create(parts[1]));
            }
        }
        return urls;
    }

    public static String clickhouseCluster() {
        return required("CLICKHOUSE_CLUSTER");
    }

    static String required(String name) {
        String value = System.getProperty(name, System.getenv(name));
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: integration tests need the real stack. Run them with"
                    + " './platform test', which starts Kafka, PostgreSQL and ClickHouse and sets it.");
        }
        return value;
    }
}
