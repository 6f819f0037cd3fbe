package dev.ingest.plugin.config;

import dev.ingest.common.cookieless.CookielessSalts;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.KafkaSupportConfiguration;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.kafka.TopicCheck;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.restriction.RefreshingEventRestrictions;
import dev.ingest.common.warning.WindowedWarnings;
import dev.ingest.plugin.apps.AppRegistry;
import dev.ingest.plugin.apps.BuiltInApps;
import dev.ingest.plugin.apps.JdbcAppConfigSource;
import dev.ingest.plugin.apps.ProcessEventAppsStep;
import dev.ingest.plugin.apps.geoip.GeoIpApp;
import dev.ingest.plugin.apps.geoip.GeoIpProperties;
import dev.ingest.plugin.apps.js.JsWorker;
import dev.ingest.plugin.apps.js.JsWorkerApp;
import dev.ingest.plugin.definition.DefinitionRecorder;
import dev.ingest.plugin.definition.DefinitionRepository;
import dev.ingest.plugin.destination.AttemptRunner;
import dev.ingest.plugin.destination.Deliveries;
import dev.ingest.plugin.destination.DeliveryConsumer;
import dev.ingest.plugin.destination.DeliverySeal;
import dev.ingest.plugin.destination.DeliveryWorker;
import dev.ingest.plugin.destination.EventDestinationsPlanner;
import dev.ingest.plugin.destination.RetryPlanner;
import dev.ingest.plugin.destination.TargetPolicy;
import dev.ingest.plugin.group.GroupBatch;
import dev.ingest.plugin.group.GroupRepository;
import dev.ingest.plugin.ingestion.consumer.BatchProcessor;
import dev.ingest.plugin.ingestion.consumer.PartitionLeases;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.pipeline.BatchScope;
import dev.ingest.plugin.ingestion.pipeline.EventPipeline;
import dev.ingest.plugin.ingestion.pipeline.PartitionLostException;
import dev.ingest.plugin.ingestion.pipeline.Step;
import dev.ingest.plugin.ingestion.step.ApplyEventRestrictionsStep;
import dev.ingest.plugin.ingestion.step.ClientIngestionWarningStep;
import dev.ingest.plugin.ingestion.step.CookielessStep;
import dev.ingest.plugin.ingestion.step.DropOldEventsStep;
import dev.ingest.plugin.ingestion.step.ExtractHeatmapDataStep;
import dev.ingest.plugin.ingestion.step.NormalizeEventStep;
import dev.ingest.plugin.ingestion.step.ParseMessageStep;
import dev.ingest.plugin.ingestion.step.ParseTimestampStep;
import dev.ingest.plugin.ingestion.step.PrefetchPersonsStep;
import dev.ingest.plugin.ingestion.step.PrepareEventStep;
import dev.ingest.plugin.ingestion.step.ProcessGroupsStep;
import dev.ingest.plugin.ingestion.step.ProcessPersonStep;
import dev.ingest.plugin.ingestion.step.RecordDefinitionsStep;
import dev.ingest.plugin.ingestion.step.ResolveTeamStep;
import dev.ingest.plugin.ingestion.step.ValidateEventStep;
import dev.ingest.plugin.ingestion.team.TeamRepository;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.person.BatchPersonStore;
import dev.ingest.plugin.person.PersonProcessor;
import dev.ingest.plugin.person.PersonRepository;
import dev.ingest.plugin.person.outbox.ClickHouseOutbox;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/** The pipeline, in order, and the Kafka containers that feed it. */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
public class PluginConfiguration {
    private static final Logger log = LoggerFactory.getLogger(PluginConfiguration.class);

    /** How often a project's app configuration is re-read (and whether any project has one). */
    private static final Duration APP_REFRESH = Duration.ofSeconds(10);
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }


    @Bean
    IngestionWarnings ingestionWarnings(Clock clock, MeterRegistry metrics) {
        return new IngestionWarnings(clock, metrics);
    }

    /** The GeoIP app's database, opened once and shared by every project that enables {@code geoip}. */
    @Bean(destroyMethod = "close")
    GeoIpApp geoIpApp(GeoIpProperties properties) {
        return GeoIpApp.open(properties);
    }

    @Bean(destroyMethod = "close")
    BuiltInApps builtInApps(GeoIpApp geoIp, PluginProperties properties) {
        PluginProperties.Js js = properties.js();
        JsWorker.Launch launch = new JsWorker.Launch(Path.of(System.getProperty("java.home"), "bin", "java"),
                JsWorker.Launch.ofThisJvm(), js.workerHeap().toMegabytes() + "m", js.timeout(), js.statementLimit());
        return new BuiltInApps(geoIp, new JsWorkerApp.Settings(launch, js.loadTimeout(), js.maxFailures(), js.failureWindow()));
    }

    /** Each project's apps (app_config), re-read at most every 10 s. */
    @Bean
    AppRegistry appRegistry(JdbcTemplate jdbc, BuiltInApps builtInApps) {
        return new AppRegistry(new JdbcAppConfigSource(jdbc), builtInApps, APP_REFRESH);
    }

    /** The destinations' deliveries: attempts, retries and dead letters (see {@link Deliveries}). */
    @Bean
    Deliveries deliveries(PluginProperties properties, AppRegistry apps, RecordSink sink, Clock clock,
            MeterRegistry metrics) {
        PluginProperties.Destinations d = properties.destinations();
        AttemptRunner runner = new AttemptRunner(new TargetPolicy(d.allowedPrivateNetworks()), d.connectTimeout(),
                d.requestTimeout(), (teamId, destinationId) -> apps.destinationsFor(teamId).stream()
                        .filter(app -> app.config().id() == destinationId).map(AppRegistry.ConfiguredApp::hooks).findFirst());
        DeliverySeal seal;
        if (d.secretKey().isBlank()) {
            log.warn("ingest.plugin.destinations.secret-key is not set: deliveries waiting for a retry when this process"
                    + " stops cannot be read by the next one (they are dead-lettered); ./platform sets it");
            seal = DeliverySeal.withRandomKey();
        } else {
            seal = DeliverySeal.fromSecret(d.secretKey());
        }
        return new Deliveries(new Deliveries.Settings(d.retryTopic(), d.deadLetterTopic(), d.maxAttempts(),
                d.initialBackoff(), d.maxBackoff(), d.concurrencyPerDestination(), d.maxPendingPerDestination(), seal),
                runner, sink, clock, metrics);
    }

    /**
     * The destinations worker: reads stored events and the retry topic in its own consumer group, apart from
     * ingestion. A new group starts at the end of the events topic (destinations get events from now on).
     */
    @Bean
    @ConditionalOnProperty(name = "ingest.plugin.destinations.enabled", havingValue = "true", matchIfMissing = true)
    DeliveryWorker deliveryWorker(PluginProperties properties, ConsumerFactory<String, byte[]> consumerFactory,
            KafkaProperties kafka, AppRegistry apps, Deliveries deliveries, Clock clock) {
        PluginProperties.Destinations d = properties.destinations();
        TopicCheck.requireTopics(kafka.getBootstrapServers(), List.of(Topics.CLICKHOUSE_EVENTS_JSON, d.retryTopic(),
                d.deadLetterTopic()));
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, d.autoOffsetReset());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("destinations-retry-timer").daemon().factory());
        DeliveryConsumer events = new DeliveryConsumer("destinations-events",
                () -> consumerFactory.createConsumer(d.groupId(), "destinations-events", null, overrides),
                Topics.CLICKHOUSE_EVENTS_JSON, new EventDestinationsPlanner(apps, deliveries), d.maxInFlight(), apps::anyDestinations,
                APP_REFRESH.plusSeconds(5));
        Properties retryOverrides = new Properties();
        retryOverrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        DeliveryConsumer retries = new DeliveryConsumer("destinations-retries",
                () -> consumerFactory.createConsumer(d.groupId() + "-retries", "destinations-retries", null, retryOverrides),
                d.retryTopic(), new RetryPlanner(deliveries, scheduler, clock), d.maxInFlight());
        return new DeliveryWorker(events, retries, deliveries, scheduler);
    }

    @Bean(destroyMethod = "close")
    RefreshingEventRestrictions eventRestrictions(JdbcTemplate jdbc, PluginProperties properties) {
        return new RefreshingEventRestrictions(jdbc, properties.restrictions().refresh()).start();
    }

    /** Warnings counted per (project, subject) and window: the events a restriction drops. */
    @Bean(destroyMethod = "close")
    WindowedWarnings windowedWarnings(PluginProperties properties, RecordSink sink, Clock clock) {
        return new WindowedWarnings(properties.restrictions().warningWindow(), 100_000, clock, sink,
                warning -> {
                    Map<String, Object> details = new LinkedHashMap<>(warning.details());
                    details.put("count", warning.count());
                    details.put("windowStart", warning.from().toString());
                    details.put("windowEnd", warning.to().toString());
                    return ClickHouseRows.warning(Long.parseLong(warning.key().scope()), warning.key().type(),
                            Json.write(details), warning.to());
                });
    }

    /** Person updates decided: written, or left unwritten by the lean-write rule (only frequently changing keys moved). */
    @Bean
    PersonProcessor personProcessor(MeterRegistry metrics) {
        PersonProcessor processor = new PersonProcessor();
        FunctionCounter.builder("ingest_plugin_person_updates", processor, PersonProcessor::updatesWritten)
                .tag("outcome", "written").register(metrics);
        FunctionCounter.builder("ingest_plugin_person_updates", processor, PersonProcessor::updatesUnwritten)
                .tag("outcome", "unwritten").register(metrics);
        return processor;
    }

    /**
     * The order of the steps: PostHog's (docs/posthog-compatibility.md#ingestion-pipeline-order). This list is the only
     * place that knows it; the pipeline checks at startup that every step comes after the ones it reads from.
     */
    @Bean
    EventPipeline eventPipeline(PluginProperties properties, TeamRepository teams, PersonProcessor persons,
            GroupRepository groups, IngestionWarnings warnings, Clock clock, MeterRegistry metrics,
            AppRegistry apps, RefreshingEventRestrictions restrictions, WindowedWarnings windowedWarnings,
            JdbcTemplate jdbc, TransactionTemplate transactions) {
        List<Step> steps = new ArrayList<>(List.of(
                new ParseMessageStep(),
                new ResolveTeamStep(teams),
                new ClientIngestionWarningStep(warnings),
                new ApplyEventRestrictionsStep(restrictions::current, windowedWarnings),
                new ValidateEventStep(warnings),
                new ProcessEventAppsStep(apps, warnings, metrics),
                new NormalizeEventStep(),
                new CookielessStep(new CookielessSalts(jdbc, clock)::forDay, warnings, clock),
                new ParseTimestampStep(clock, warnings),
                new DropOldEventsStep(warnings, clock),
                new ExtractHeatmapDataStep(warnings),
                new PrefetchPersonsStep(),
                new ProcessPersonStep(persons, warnings),
                new ProcessGroupsStep(groups, warnings),
                new PrepareEventStep(clock)));
        if (properties.definitions().enabled()) {
            DefinitionRecorder definitions = new DefinitionRecorder(new DefinitionRepository(jdbc, transactions),
                    properties.definitions().cacheSize(), clock);
            FunctionCounter.builder("ingest_plugin_definition_writes", definitions, DefinitionRecorder::writes)
                    .register(metrics);
            steps.add(new RecordDefinitionsStep(definitions, groups, metrics));
        }
        return new EventPipeline(steps, properties.kafka().dlqTopic(), clock, metrics);
    }

    /** The PostgreSQL fence of the ingestion consumers' writes (see PartitionLeases), held as this process. */
    @Bean
    PartitionLeases partitionLeases(JdbcTemplate jdbc, TransactionTemplate transactions) {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return new PartitionLeases(jdbc, transactions, "plugin-service@" + host + ":" + ProcessHandle.current().pid());
    }

    @Bean
    BatchProcessor batchProcessor(EventPipeline pipeline, RecordSink sink, PluginProperties properties,
            KafkaProperties kafka, PersonRepository persons, TransactionTemplate transactions,
            PersonProcessor personProcessor, ClickHouseOutbox outbox, GroupRepository groups, IngestionWarnings warnings,
            PartitionLeases leases) {
        List<String> topics = new ArrayList<>(EventPipeline.outputTopics(properties.kafka().dlqTopic()));
        PluginProperties.Lanes lanes = properties.lanes();
        topics.addAll(List.of(lanes.mainTopic(), lanes.overflowTopic(), lanes.historicalTopic()));
        TopicCheck.requireTopics(kafka.getBootstrapServers(), topics);
        return new BatchProcessor(pipeline, sink, properties.kafka().produceTimeout(),
                fence -> new BatchScope(new BatchPersonStore(persons, transactions, outbox, fence),
                        new GroupBatch(groups, transactions, fence), personProcessor,
                        (request, warning) -> warnings.row(request.teamId(), warning.type(), warning.details())),
                outbox, leases);
    }

    /**
     * Batch listeners; offsets are committed after the listener returns. A failed batch (a dependency is down) is
     * retried with exponential backoff, without end: consumption pauses, nothing is skipped. A batch whose partitions
     * were taken over (PartitionLostException) is not retried: its partitions are sought back and nothing is
     * committed, so whoever owns them now processes the records. The rebalance listener keeps the partition leases.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> ingestionContainerFactory(
            ConsumerFactory<String, byte[]> consumerFactory, PluginProperties properties, PartitionLeases leases) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        factory.getContainerProperties().setGroupId(properties.kafka().groupId());
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(properties.kafka().retryBackoffMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        // The recoverer runs only for a batch that is not retried: one whose partitions were taken over. Throwing
        // makes the handler seek the batch back instead of committing it.
        DefaultErrorHandler errors = new DefaultErrorHandler((record, error) -> {
            throw new IllegalStateException("batch abandoned, not committed (" + error.getMessage() + ")");
        }, backOff);
        errors.addNotRetryableExceptions(PartitionLostException.class);
        factory.setCommonErrorHandler(errors);
        factory.getContainerProperties().setConsumerRebalanceListener(leases.rebalanceListener());
        return factory;
    }

}
