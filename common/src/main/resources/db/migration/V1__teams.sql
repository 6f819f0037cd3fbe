-- Projects ("teams" in PostHog's schema): every event, person and flag belongs to exactly one.
CREATE TABLE team (
    id                        BIGSERIAL PRIMARY KEY,
    uuid                      UUID        NOT NULL UNIQUE,
    name                      TEXT        NOT NULL,
    -- The public project API key SDKs send (phc_...). Unique: it alone identifies the project on capture.
    api_token                 TEXT        NOT NULL,
    anonymize_ips             BOOLEAN     NOT NULL DEFAULT FALSE,
    person_processing_opt_out BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT team_api_token_unique UNIQUE (api_token),
    CONSTRAINT team_api_token_shape CHECK (length(api_token) BETWEEN 1 AND 64 AND api_token NOT LIKE 'phx\_%')
);
