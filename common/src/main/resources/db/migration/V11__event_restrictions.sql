-- Event restrictions (PostHog's EventIngestionRestrictionConfig): an operator's tool against a runaway client. Each row
-- applies to its project's events that match every non-empty list (a list matches when it holds the event's value;
-- an empty list matches every event). Capture and plugin-service re-read the table every few seconds.
CREATE TABLE event_restriction (
    id               BIGSERIAL   PRIMARY KEY,
    team_id          BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    restriction_type TEXT        NOT NULL CONSTRAINT event_restriction_type CHECK (restriction_type IN
        ('drop_event_from_ingestion', 'force_overflow_from_ingestion', 'skip_person_processing', 'redirect_to_dlq')),
    distinct_ids     TEXT[]      NOT NULL DEFAULT '{}',
    session_ids      TEXT[]      NOT NULL DEFAULT '{}',
    event_names      TEXT[]      NOT NULL DEFAULT '{}',
    event_uuids      TEXT[]      NOT NULL DEFAULT '{}',
    note             TEXT        NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX event_restriction_team ON event_restriction (team_id);
