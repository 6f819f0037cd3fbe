package dev.ingest.capture.decode;

import tools.jackson.databind.node.ObjectNode;

/**
 * One event as capture accepted it.
 *
 * @param raw the event object as the SDK sent it, with {@code uuid} filled in and {@code properties} defaulted to {}
 * @param cookieless whether {@code $cookieless_mode} was true
 */
public record IncomingEvent(String uuid, String distinctId, String event, ObjectNode raw, boolean cookieless) {}
