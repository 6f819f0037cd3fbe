-- Which consumer of plugin-service may write persons and groups for a Kafka partition: the epoch moves on every time
-- a consumer takes the partition over, and every write transaction of a batch first checks (and share-locks) the
-- epochs it started with. A batch held by an instance that lost its partitions (cut off from the network, paused)
-- therefore cannot write PostgreSQL once the new owner took over, however late its statements arrive.
CREATE TABLE ingestion_partition_lease (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    epoch BIGINT NOT NULL,
    owner TEXT NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
