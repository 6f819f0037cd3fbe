package dev.ingest.decide.auth;

/** A handler asked for the caller's {@link ApiKeyScope}, but the request was not authenticated (a 401). */
public class NotAuthenticatedException extends RuntimeException {
    public NotAuthenticatedException() {
        super("Authentication credentials were not provided.");
    }
}
