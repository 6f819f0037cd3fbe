package dev.ingest.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ingest.common.testing.NodeScripts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * One origin for posthog-js, routed as the platform's proxy routes it: the test page and the library, then
 * {@code /decide}, {@code /flags}, {@code /array/}, {@code /api/} to decide-service and the rest to capture.
 */
final class SdkSite implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient forward = HttpClient.newHttpClient();

    SdkSite(TestingPlatform platform, String token, String page) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] library = Files.readAllBytes(NodeScripts.nodeModules().resolve("posthog-js/dist/array.full.js"));
        byte[] html = NodeScripts.read(page).replace("__API_HOST__", url())
                .replace("__TOKEN__", token).getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                reply(exchange, 200, "text/html; charset=utf-8", html);
            } else if (path.equals("/array.full.js")) {
                reply(exchange, 200, "application/javascript", library);
            } else {
                boolean toDecide = path.startsWith("/decide") || path.startsWith("/flags") || path.startsWith("/array/")
                        || path.startsWith("/api/");
                forward(exchange, toDecide ? platform.decideUrl() : platform.captureUrl());
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange, URI service) throws IOException {
        URI target = service.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(exchange.getRequestMethod(),
                HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
        for (String header : List.of("Content-Type", "Content-Encoding", "Origin", "User-Agent")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            reply(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
