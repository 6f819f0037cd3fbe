package dev.ingest.e2e.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A client that sends a request's headers (or part of them), then trickles the body a byte at a time, or goes
 * silent. {@link #goSilentAndAwait} stops sending and measures how long the server takes to give up: it must answer
 * or close on its own (its read timeout), never hold the connection forever.
 */
public final class SlowLoris implements AutoCloseable {
    public enum Kind {
        /** The request line and part of the headers, then one header byte at a time. */
        HEADERS,
        /** Complete headers declaring a body, then one body byte at a time. */
        BODY
    }

    private final Kind kind;
    private final Socket socket;
    private final OutputStream out;
    private final byte[] rest;
    private int sent;
    private volatile boolean broken;

    private SlowLoris(Kind kind, Socket socket, byte[] rest) throws IOException {
        this.kind = kind;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.rest = rest;
    }

    /** Opens the connection and sends the opening part; {@code body} is what would eventually complete the request. */
    public static SlowLoris open(URI base, String path, Kind kind, String body, Duration serverTimeoutBound) throws IOException {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        HostileRequest request = new HostileRequest("slow loris", HostileRequest.Target.CAPTURE, "POST", path,
                List.of(new HostileRequest.Header("Content-Type", "application/json")), bodyBytes, 0);
        byte[] head = RawHttp.head(base, request);
        Socket socket = RawHttp.connect(base, serverTimeoutBound);
        SlowLoris loris;
        if (kind == Kind.HEADERS) {
            int split = head.length / 2;
            loris = new SlowLoris(kind, socket, Arrays.copyOfRange(head, split, head.length - 2));
            loris.out.write(head, 0, split);
        } else {
            loris = new SlowLoris(kind, socket, Arrays.copyOf(bodyBytes, bodyBytes.length - 1));
            loris.out.write(head);
            loris.out.write(bodyBytes, 0, 1);
        }
        loris.out.flush();
        return loris;
    }

    public Kind kind() {
        return kind;
    }

    /** Sends one more byte, never the last one. Returns false once the server has closed the connection. */
    public boolean trickle() {
        if (broken) {
            return false;
        }
        try {
            if (sent < rest.length) {
                out.write(rest[sent++]);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    /** Stops sending and waits for the server to answer or close; a {@link RawHttp.TimedOut} means it held on. */
    public RawHttp.Outcome goSilentAndAwait() {
        long started = System.nanoTime();
        try {
            return RawHttp.read(socket.getInputStream(), started, Duration.ofMillis(socket.getSoTimeout()));
        } catch (IOException e) {
            return new RawHttp.Closed(e.toString(), RawHttp.since(started));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
