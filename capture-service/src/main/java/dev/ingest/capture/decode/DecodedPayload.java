package dev.ingest.capture.decode;

/**
 * The JSON a request carried, as text, plus the fields some SDKs send beside it in a form body.
 *
 * @param json UTF-8 JSON text: an array of events, a batch object or a single event (not parsed yet)
 * @param formToken {@code api_key} or {@code token} of a form body or (GET only) the query string, else null
 */
public record DecodedPayload(byte[] json, String formToken) {}
