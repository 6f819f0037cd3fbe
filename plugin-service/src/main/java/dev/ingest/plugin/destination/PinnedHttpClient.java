package dev.ingest.plugin.destination;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 to exactly the address {@link TargetPolicy} checked: the socket connects to that {@link InetAddress}, never
 * to the name (no second DNS lookup, so DNS rebinding cannot move the request inward), while TLS still sends the
 * name (SNI) and verifies the certificate against it. One request per connection ({@code Connection: close}), no
 * redirects. The answer is read within the request timeout and only so far: the status line and at most
 * {@link #MAX_HEAD_BYTES} of headers, then at most {@link #MAX_BODY_BYTES} of body, which is discarded.
 */
final class PinnedHttpClient {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Headers this client writes itself; a request may not set them. */
    static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final SSLContext tls;

    PinnedHttpClient(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        try {
            this.tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS on this JVM", e);
        }
    }

    /** Sends the request to {@code address} and returns the HTTP status. */
    int send(URI url, InetAddress address, String method, Map<String, String> headers, byte[] body) throws IOException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (!https && !"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("only http and https URLs can be called, not " + url.getScheme());
        }
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        Socket plain = new Socket();
        try (Socket socket = plain) {
            plain.connect(new InetSocketAddress(address, port), (int) Math.max(1, connectTimeout.toMillis()));
            Socket connection = https ? tls(plain, host, port) : plain;
            try (connection) {
                connection.setSoTimeout(remainingMillis(deadline));
                OutputStream out = connection.getOutputStream();
                out.write(head(url, host, port, https, method, headers, body.length));
                out.write(body);
                out.flush();
                return readStatus(connection, deadline);
            }
        }
    }

    private Socket tls(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // The certificate must name the host of the URL, though the socket was opened to an address.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout((int) Math.max(1, requestTimeout.toMillis()));
        ssl.startHandshake();
        return ssl;
    }

    static byte[] head(URI url, String host, int port, boolean https, String method, Map<String, String> headers,
            int contentLength) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path = path + "?" + url.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(contentLength).append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || header.getValue().chars().anyMatch(c -> c == '\r'
                    || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("invalid header " + name);
            }
            userAgent |= name.equalsIgnoreCase("user-agent");
            head.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!userAgent) {
            head.append("User-Agent: ingest-destinations\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The status of the answer; reads the head and a bounded part of the body within the deadline. */
    static int readStatus(Socket connection, long deadline) throws IOException {
        InputStream in = connection.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            connection.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the answer's headers ended");
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("the answer's headers are over " + MAX_HEAD_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        String statusLine = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine.substring(0, Math.min(80, statusLine.length())));
        }
        int status = Integer.parseInt(parts[1]);
        byte[] discard = new byte[8192];
        int read = 0;
        try {
            while (read < MAX_BODY_BYTES) {
                connection.setSoTimeout(remainingMillis(deadline));
                int n = in.read(discard, 0, Math.min(discard.length, MAX_BODY_BYTES - read));
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (SocketTimeoutException e) {
            // The status is known; a body that does not end in time is not waited for.
        }
        return status;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new SocketTimeoutException("the request timeout passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
}
