package dev.ingest.capture.decode;

import tools.jackson.databind.JsonNode;

/**
 * The JSON a request carried, plus the fields some SDKs send beside it in a form body.
 *
 * @param json an array of events, a batch object or a single event
 * @param formToken {@code api_key} or {@code token} of a form body or (GET only) the query string, else null
 */
public record DecodedPayload(JsonNode json, String formToken) {}
