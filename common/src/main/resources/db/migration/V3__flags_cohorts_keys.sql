-- Feature flags, cohorts, experience-continuity overrides and personal API keys (docs/posthog-compatibility.md#feature-flags).

CREATE TABLE feature_flag (
    id                           BIGSERIAL PRIMARY KEY,
    team_id                      BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    key                          TEXT        NOT NULL,
    name                         TEXT        NOT NULL DEFAULT '',
    -- PostHog's filters JSON: groups, multivariate, payloads, aggregation_group_type_index, super_groups, holdout_groups.
    filters                      JSONB       NOT NULL DEFAULT '{}',
    active                       BOOLEAN     NOT NULL DEFAULT TRUE,
    deleted                      BOOLEAN     NOT NULL DEFAULT FALSE,
    ensure_experience_continuity BOOLEAN     NOT NULL DEFAULT FALSE,
    version                      INT         NOT NULL DEFAULT 1,
    created_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT feature_flag_key_shape CHECK (length(key) BETWEEN 1 AND 400)
);
-- A key is unique among a project's live flags; a deleted flag's key can be used again.
CREATE UNIQUE INDEX feature_flag_team_key_live ON feature_flag (team_id, key) WHERE NOT deleted;
CREATE INDEX feature_flag_team_updated ON feature_flag (team_id, updated_at);

CREATE TABLE cohort (
    id          BIGSERIAL PRIMARY KEY,
    team_id     BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL DEFAULT '',
    description TEXT        NOT NULL DEFAULT '',
    -- {"properties": {"type": "AND|OR", "values": [...]}}: nested property groups, as PostHog stores them.
    filters     JSONB       NOT NULL DEFAULT '{}',
    is_static   BOOLEAN     NOT NULL DEFAULT FALSE,
    deleted     BOOLEAN     NOT NULL DEFAULT FALSE,
    version     INT         NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cohort_team_updated ON cohort (team_id, updated_at);

-- Members of static cohorts.
CREATE TABLE cohort_person (
    cohort_id BIGINT NOT NULL REFERENCES cohort (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    PRIMARY KEY (cohort_id, person_id)
);
CREATE INDEX cohort_person_person_idx ON cohort_person (person_id);

-- Experience continuity (§4.7): the first anonymous id seen hashes instead of the distinct id. First one wins.
CREATE TABLE feature_flag_hash_key_override (
    team_id          BIGINT NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    person_id        BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    feature_flag_key TEXT   NOT NULL,
    hash_key         TEXT   NOT NULL,
    PRIMARY KEY (team_id, person_id, feature_flag_key)
);

-- Personal API keys (phx_...) for the management API and local evaluation. Only a SHA-256 of the key is stored.
CREATE TABLE personal_api_key (
    id           BIGSERIAL PRIMARY KEY,
    label        TEXT        NOT NULL DEFAULT '',
    secure_value TEXT        NOT NULL UNIQUE,
    mask_value   TEXT        NOT NULL,
    -- The projects this key may act on; NULL means every project (the bootstrap key from configuration).
    scoped_teams BIGINT[],
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
