-- Apps configured per project (issue 6): which app, its JSON config, its place in the order, whether it runs.
-- plugin-service reads the enabled rows of a project ordered by position (then id) and re-reads them at most every
-- 10 s, so a change takes effect without a restart. `app` names a built-in ('geoip', 'property-flattener',
-- 'event-filter'); an unknown name is reported as an app_error ingestion warning, never a failed event.
CREATE TABLE app_config (
    id         BIGSERIAL PRIMARY KEY,
    team_id    BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    app        TEXT        NOT NULL,
    config     JSONB       NOT NULL DEFAULT '{}',
    position   INT         NOT NULL DEFAULT 0,
    enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT app_config_app_shape CHECK (length(app) BETWEEN 1 AND 200)
);

CREATE INDEX app_config_team_idx ON app_config (team_id, position, id) WHERE enabled;
