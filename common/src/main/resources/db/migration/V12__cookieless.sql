-- Cookieless mode (PostHog's server-side hash): a project's mode (0 off: cookieless events are dropped; 1 stateless;
-- 2 stateful, which this platform does not implement) and the daily salts every identity of a day is hashed with.
-- A salt is created on first use for its day and deleted about four days later, so old hashes can never be
-- recomputed.
ALTER TABLE team ADD COLUMN cookieless_server_hash_mode SMALLINT NOT NULL DEFAULT 0
    CONSTRAINT team_cookieless_server_hash_mode CHECK (cookieless_server_hash_mode IN (0, 1, 2));

CREATE TABLE cookieless_salt (
    day        DATE        PRIMARY KEY,
    salt       BYTEA       NOT NULL CONSTRAINT cookieless_salt_length CHECK (length(salt) = 16),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
