package dev.ingest.capture.config;

import dev.ingest.capture.CaptureService;
import dev.ingest.capture.decode.EventExtractor;
import dev.ingest.capture.decode.Limits;
import dev.ingest.capture.decode.PayloadDecoder;
import dev.ingest.capture.route.OverflowLimiter;
import dev.ingest.capture.route.TopicRouter;
import dev.ingest.capture.token.TokenRegistry;
import dev.ingest.capture.warning.CaptureWarnings;
import dev.ingest.common.kafka.KafkaSupportConfiguration;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.kafka.TopicCheck;
import dev.ingest.common.memory.MemoryBudget;
import dev.ingest.common.memory.MemoryBudgetMetrics;
import dev.ingest.common.restriction.RefreshingEventRestrictions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the pure pieces (decoder, extractor, router) to the Spring-managed ones. */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
public class CaptureConfiguration {
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MemoryBudget memoryBudget(CaptureProperties properties, MeterRegistry metrics) {
        return MemoryBudgetMetrics.register(MemoryBudget.ofHeapFraction(properties.memory().heapFraction()), metrics);
    }

    @Bean(destroyMethod = "close")
    RefreshingEventRestrictions eventRestrictions(JdbcTemplate jdbc, CaptureProperties properties) {
        return new RefreshingEventRestrictions(jdbc, properties.restrictions().refresh()).start();
    }

    @Bean(destroyMethod = "close")
    CaptureWarnings captureWarnings(CaptureProperties properties, RecordSink sink, Clock clock) {
        return new CaptureWarnings(properties.warnings().window(), clock, sink, properties.topics().main());
    }

    @Bean
    CaptureService captureService(CaptureProperties properties, TokenRegistry tokens, RecordSink sink, Clock clock,
            MeterRegistry metrics, KafkaProperties kafka, RefreshingEventRestrictions restrictions,
            CaptureWarnings warnings) {
        CaptureProperties.Topics topics = properties.topics();
        // Like capture-rs, refuse to start with topics that do not exist: events would otherwise wait on metadata.
        TopicCheck.requireTopics(kafka.getBootstrapServers(),
                List.of(topics.main(), topics.overflow(), topics.historical(), topics.unverified()));
        OverflowLimiter limiter = properties.overflow().enabled()
                ? new OverflowLimiter(properties.overflow().perSecond(), properties.overflow().burst(),
                        new HashSet<>(properties.overflow().forcedKeys()), System::nanoTime)
                : null;
        return new CaptureService(new PayloadDecoder(new Limits(properties.limits().decompressed().toBytes())),
                new EventExtractor(clock), tokens, new TopicRouter(topics, limiter, properties.historicalTokens()), sink,
                properties, clock, metrics, restrictions::current, warnings);
    }
}
