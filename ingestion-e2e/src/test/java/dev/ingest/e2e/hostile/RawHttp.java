package dev.ingest.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, so a request can say anything (a lying Content-Length, a chunked body, a body that
 * never ends) and every way a server can answer is seen: a status, a closed connection, or silence until the timeout.
 * One connection per request ({@code Connection: close}).
 */
public final class RawHttp {
    private static final int CHUNK = 64 * 1024;

    private RawHttp() {}

    /** What came back. {@code status} is -1 when the server closed the connection without a status line. */
    public sealed interface Outcome {
        Duration elapsed();
    }

    /** An answer; {@code head} is its status line and headers. */
    public record Answered(int status, String body, Duration elapsed, String head) implements Outcome {
        public boolean hasHeader(String name) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
        }
    }

    public record Closed(String detail, Duration elapsed) implements Outcome {}

    public record TimedOut(Duration elapsed) implements Outcome {}

    public static Outcome exchange(URI base, HostileRequest request, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = connect(base, timeout)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(base, request));
            try {
                writeBody(out, request);
                out.flush();
            } catch (IOException e) {
                // The server may answer early (413 on a declared length) and stop reading: its answer still counts.
            }
            return read(socket.getInputStream(), started, timeout);
        } catch (IOException e) {
            return new Closed(e.toString(), since(started));
        }
    }

    static Socket connect(URI base, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return socket;
    }

    static byte[] head(URI base, HostileRequest request) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        for (HostileRequest.Header header : request.headers()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        boolean chunked = request.hasHeader("Transfer-Encoding");
        if (!chunked && !request.hasHeader("Content-Length") && (request.body().length > 0 || !request.method().equals("GET"))) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void writeBody(OutputStream out, HostileRequest request) throws IOException {
        byte[] body = request.body();
        boolean chunked = request.hasHeader("Transfer-Encoding");
        for (int offset = 0; offset < body.length; offset += CHUNK) {
            int length = Math.min(CHUNK, body.length - offset);
            if (chunked) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(body, offset, length);
            if (chunked) {
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Reads until the server closes (it must: Connection: close), then parses the status line. */
    static Outcome read(InputStream in, long started, Duration timeout) {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                response.write(buffer, 0, read);
                if (System.nanoTime() - started > timeout.toNanos()) {
                    return new TimedOut(since(started));
                }
            }
        } catch (SocketTimeoutException e) {
            return new TimedOut(since(started));
        } catch (IOException e) {
            if (response.size() == 0) {
                return new Closed(e.toString(), since(started));
            }
        }
        String text = response.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) {
            return new Closed("no status line, " + response.size() + " bytes", since(started));
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int bodyStart = text.indexOf("\r\n\r\n");
        return new Answered(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4), since(started),
                bodyStart < 0 ? text : text.substring(0, bodyStart));
    }

    static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
