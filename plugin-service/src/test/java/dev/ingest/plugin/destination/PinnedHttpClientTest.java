package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PinnedHttpClientTest {
    private final PinnedHttpClient client = new PinnedHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5));

    @Test
    void connectsToTheCheckedAddressAndSendsTheNameAsHost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> answer(server,
                    "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"));
            // The name does not resolve anywhere: only the pinned address can have been used.
            URI url = URI.create("http://rebind.invalid:" + server.getLocalPort() + "/hook?a=1");

            int status = client.send(url, InetAddress.getLoopbackAddress(), "POST",
                    Map.of("X-Token", "t", "Host", "evil.example"), "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(201);
            String request = received.get(10, TimeUnit.SECONDS);
            assertThat(request).startsWith("POST /hook?a=1 HTTP/1.1\r\n")
                    .contains("Host: rebind.invalid:" + server.getLocalPort() + "\r\n").contains("X-Token: t\r\n")
                    .contains("Content-Length: 7\r\n").doesNotContain("evil.example").endsWith("{\"x\":1}");
        }
    }

    @Test
    void anEndlessBodyIsReadOnlySoFar() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    byte[] chunk = new byte[16 * 1024];
                    for (int i = 0; i < 10_000; i++) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // The client stops reading and closes: expected.
                }
            });
            int status = client.send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                    InetAddress.getLoopbackAddress(), "GET", Map.of(), new byte[0]);
            assertThat(status).isEqualTo(200);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        PinnedHttpClient quick = new PinnedHttpClient(Duration.ofSeconds(5), Duration.ofMillis(300));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // closed by the client
                }
            });
            assertThatThrownBy(() -> quick.send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                    InetAddress.getLoopbackAddress(), "GET", Map.of(), new byte[0]))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void headersThatWouldSplitTheRequestAreRefused() {
        assertThatThrownBy(() -> PinnedHttpClient.head(URI.create("http://h/"), "h", 80, false, "POST",
                Map.of("X-A", "1\r\nX-Injected: 2"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PinnedHttpClient.head(URI.create("http://h/"), "h", 80, false, "POST",
                Map.of("X A", "1"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String answer(ServerSocket server, String response) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            return head + body;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
