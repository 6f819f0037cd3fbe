package dev.ingest.bench;

/**
 * One event of a plugin benchmark mix, as an SDK sent it: its uuid, distinct id and name (capture's message envelope
 * and headers carry them) and the event's JSON. {@code device}: a number for the browser or user it came from (the
 * apps benchmark derives a public IP address from it).
 */
record MixEvent(String uuid, String distinctId, String name, String data, int device) {}
