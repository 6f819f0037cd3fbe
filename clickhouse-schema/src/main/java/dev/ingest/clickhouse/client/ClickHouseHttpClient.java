package dev.ingest.clickhouse.client;

import dev.ingest.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * ClickHouse through its HTTP interface.
 *
 * <p>Why not JDBC: the current ClickHouse JDBC driver cannot read any result from the 18.16 server that Debian
 * ships (it needs RowBinaryWithNamesAndTypes), and the drivers old enough to work are unmaintained or need
 * server-specific URL flags. The HTTP interface with text formats behaves the same on every server generation,
 * so the platform uses it for migrations and queries alike (README.md, "ClickHouse: why HTTP, and the 18.16 server").
 */
public final class ClickHouseHttpClient {
    private final URI baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;

    /** A client that logs in as {@link ClickHouseCredentials#fromEnvironment()} says. */
    public ClickHouseHttpClient(URI baseUrl, Duration timeout) {
        this(baseUrl, timeout, ClickHouseCredentials.fromEnvironment());
    }

    public ClickHouseHttpClient(URI baseUrl, Duration timeout, ClickHouseCredentials credentials) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl is null");
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.authorization = credentials.basicAuthorization();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Runs a statement that returns nothing of interest (DDL, INSERT ... VALUES). */
    public void execute(String sql) {
        send(sql);
    }

    /** Runs a query and returns its rows, one JSON object each (JSONEachRow works on 18.16 and current servers). */
    public List<JsonNode> rows(String sql) {
        String body = send(sql + "\nFORMAT JSONEachRow");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                rows.add(Json.read(line));
            }
        }
        return rows;
    }

    /** Runs a query expected to return a single number. */
    public long scalarLong(String sql) {
        String text = send(sql + "\nFORMAT TabSeparated").trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ClickHouseException(200, "expected a number from '" + sql + "', got '" + text + "'", e);
        }
    }

    public String version() {
        return send("SELECT version()\nFORMAT TabSeparated").trim();
    }

    public boolean ping() {
        try {
            HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/ping")).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A string literal for ClickHouse SQL: the 18.16 server has no bound query parameters, so quote strictly. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private String send(String sql) {
        URI uri = baseUrl.resolve("/?wait_end_of_query=1&query_id=" + URLEncoder.encode(
                "ingest-" + System.nanoTime(), StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClickHouseException(0, "ClickHouse at " + baseUrl + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(0, "interrupted while querying ClickHouse at " + baseUrl, e);
        }
        if (response.statusCode() != 200) {
            throw new ClickHouseException(response.statusCode(), "ClickHouse at " + baseUrl + " refused: "
                    + response.body().trim() + "\nstatement: " + abbreviate(sql), null);
        }
        return response.body();
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 400 ? sql : sql.substring(0, 400) + "...";
    }
}
