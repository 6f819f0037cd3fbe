package dev.ingest.decide.evaluation;

/**
 * A project as flag evaluation and the remote configuration need it.
 *
 * @param heatmapsOptIn whether posthog-js is told to send heatmap points
 */
public record Project(long id, String apiToken, String name, boolean heatmapsOptIn) {
    public Project(long id, String apiToken, String name) {
        this(id, apiToken, name, false);
    }
}
