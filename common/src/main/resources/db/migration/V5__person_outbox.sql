-- ClickHouse rows owed by committed PostgreSQL writes (issue 4). plugin-service inserts the person, distinct-id and
-- group rows a write implies in the same transaction as the write, and deletes them once Kafka acknowledged the
-- batch that carried them. Rows left behind (the process died, or the batch failed after the commit) are produced
-- again by the sweeper once they are older than a grace period: ClickHouse keeps the highest version, so producing
-- a row twice is harmless, while never producing it leaves ClickHouse behind PostgreSQL for good.
CREATE TABLE clickhouse_outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      TEXT        NOT NULL,
    key        TEXT,
    payload    BYTEA       NOT NULL,
    headers    JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX clickhouse_outbox_created_at_idx ON clickhouse_outbox (created_at);
