package dev.ingest.decide.evaluation;

/**
 * A project as flag evaluation and the remote configuration need it.
 *
 * @param heatmapsOptIn whether posthog-js is told to send heatmap points
 * @param cookielessServerHashMode 0: cookieless requests keep the placeholder id; otherwise it is hashed (stateless)
 */
public record Project(long id, String apiToken, String name, boolean heatmapsOptIn, int cookielessServerHashMode) {
    public Project(long id, String apiToken, String name) {
        this(id, apiToken, name, false, 0);
    }
}
