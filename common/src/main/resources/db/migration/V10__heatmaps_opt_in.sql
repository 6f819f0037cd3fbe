-- A project's heatmaps switch (PostHog's team.heatmaps_opt_in): true tells posthog-js to send heatmap points (remote
-- config "heatmaps"); false drops heatmap events in ingestion; null (never chosen) sends none and drops none.
ALTER TABLE team ADD COLUMN heatmaps_opt_in BOOLEAN;
