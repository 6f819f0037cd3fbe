-- A project may drop events whose timestamp is older than this many seconds when they are processed (PostHog's
-- drop_events_older_than_seconds); null or 0: no event is dropped for its age.
ALTER TABLE team ADD COLUMN drop_events_older_than_seconds INTEGER
    CONSTRAINT team_drop_events_older_than_seconds CHECK (drop_events_older_than_seconds >= 0);
