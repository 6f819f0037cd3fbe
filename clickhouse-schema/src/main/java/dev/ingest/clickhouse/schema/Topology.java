package dev.ingest.clickhouse.schema;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where the schema goes. {@code nodes} are the HTTP addresses of every server; in the sharded topology each is one
 * shard of {@code cluster} and replicated tables coordinate through ZooKeeper (the servers' own config carries the
 * {shard} and {replica} macros). A single node is a cluster of one shard with plain ReplacingMergeTree tables.
 */
public record Topology(List<URI> nodes, String database, String cluster, boolean replicated, String kafkaBrokers) {
    public Topology {
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes is null"));
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one ClickHouse node is required");
        }
        requireIdentifier(database, "database");
        requireIdentifier(cluster, "cluster");
        Objects.requireNonNull(kafkaBrokers, "kafkaBrokers is null");
        if (!kafkaBrokers.matches("[A-Za-z0-9._:,\\-\\[\\]]+")) {
            throw new IllegalArgumentException("kafkaBrokers must be host:port[,host:port...], got: " + kafkaBrokers);
        }
    }

    private static void requireIdentifier(String value, String what) {
        if (value == null || !value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(what + " must be a plain identifier, got: " + value);
        }
    }
}
