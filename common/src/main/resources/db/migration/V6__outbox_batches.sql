-- One outbox row per transaction instead of one per ClickHouse row (issue 4, speed): a person write of a poll batch
-- owes hundreds of rows, and inserting, indexing and deleting each of them cost PostgreSQL more than the person
-- write itself. A row now carries all of a transaction's records in `records` (plugin-service's OutboxCodec).
-- Rows written before this migration keep their single record in topic/key/payload/headers; the sweeper reads both.
ALTER TABLE clickhouse_outbox
    ALTER COLUMN topic DROP NOT NULL,
    ALTER COLUMN payload DROP NOT NULL,
    ADD COLUMN records BYTEA;

-- The records are mostly JSON that Kafka compresses anyway: spare PostgreSQL the CPU of compressing them in TOAST.
ALTER TABLE clickhouse_outbox ALTER COLUMN records SET STORAGE EXTERNAL;
