package dev.ingest.decide.api;

/** PostHog's error body. */
public record ApiError(String type, String code, String detail, String attr) {}
