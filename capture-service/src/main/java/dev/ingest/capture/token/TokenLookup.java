package dev.ingest.capture.token;

/** What capture knows about a token at the moment of a request. */
public sealed interface TokenLookup {
    /** The token belongs to project {@code teamId}. */
    record Known(long teamId) implements TokenLookup {}

    /** PostgreSQL answered: no project has this token. */
    record Unknown() implements TokenLookup {}

    /** PostgreSQL could not be asked and the token is not cached: accept, park, replay later. */
    record Unverified(String reason) implements TokenLookup {}
}
