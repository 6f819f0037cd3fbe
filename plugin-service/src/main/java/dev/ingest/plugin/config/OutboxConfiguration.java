package dev.ingest.plugin.config;

import dev.ingest.common.kafka.RecordSink;
import dev.ingest.plugin.person.outbox.ClickHouseOutbox;
import dev.ingest.plugin.person.outbox.OutboxSweeper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The ClickHouse outbox's sweeper: once at startup, then every {@code ingest.plugin.outbox.sweep-interval}. */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {
    @Bean(initMethod = "start", destroyMethod = "close")
    OutboxSweeper outboxSweeper(ClickHouseOutbox outbox, TransactionTemplate transactions, RecordSink sink,
            PluginProperties properties, MeterRegistry metrics) {
        PluginProperties.Outbox settings = properties.outbox();
        return new OutboxSweeper(outbox, transactions, sink, new OutboxSweeper.Settings(settings.grace(),
                settings.chunkSize(), settings.sweepInterval(), properties.kafka().produceTimeout()), metrics);
    }
}
