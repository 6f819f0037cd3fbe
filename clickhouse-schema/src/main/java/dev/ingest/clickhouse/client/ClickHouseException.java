package dev.ingest.clickhouse.client;

/** A query ClickHouse refused or could not answer; carries the server's own message. */
public class ClickHouseException extends RuntimeException {
    private final int status;

    public ClickHouseException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the server could not be reached. */
    public int status() {
        return status;
    }
}
