package dev.ingest.decide.evaluation;

/** A project as flag evaluation needs it. */
public record Project(long id, String apiToken, String name) {}
