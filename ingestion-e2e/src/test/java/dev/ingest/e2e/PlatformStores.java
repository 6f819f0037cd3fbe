package dev.ingest.e2e;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Where a platform under test keeps its data: its PostgreSQL database and every ClickHouse node. */
public interface PlatformStores {
    Connection postgres() throws SQLException;

    List<ClickHouseHttpClient> clickhouseNodes();

    /** The node queries go to when any node will do (the first). */
    default ClickHouseHttpClient clickhouse() {
        return clickhouseNodes().getFirst();
    }
}
