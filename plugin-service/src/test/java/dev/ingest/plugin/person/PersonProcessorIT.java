package dev.ingest.plugin.person;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.person.outbox.ClickHouseOutbox;
import dev.ingest.plugin.testing.MigratedDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The person rules of docs/posthog-compatibility.md (#persons-and-merges, #person-properties, #personless-events),
 * scenario by scenario, on real PostgreSQL: each event is a batch of its own ({@link BatchPersonStore}, written at
 * the end), as the consumer's one-event-at-a-time fallback runs it.
 */
class PersonProcessorIT {
    private static JdbcTemplate jdbc;
    private static final PersonProcessor processor = new PersonProcessor();
    private static JdbcPersonRepository repository;
    private static TransactionTemplate transactions;
    private static ClickHouseOutbox outbox;
    private long teamId;

    @BeforeAll
    static void database() {
        DataSource dataSource = MigratedDatabase.create("persons_it");
        jdbc = new JdbcTemplate(dataSource);
        repository = new JdbcPersonRepository(jdbc);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        outbox = new ClickHouseOutbox(jdbc);
    }

    @BeforeEach
    void project() {
        teamId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        jdbc.update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'persons', ?)", teamId, UUID.randomUUID(),
                "phc_" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** What one event did: its person as stored afterwards, the rows its batch owes ClickHouse, its warnings. */
    private record Outcome(Person person, List<OutgoingRecord> rows, List<PersonProcessor.Warning> warnings) {}

    private Outcome event(String distinctId, String properties) {
        return send("$pageview", distinctId, null, properties);
    }

    private Outcome send(String event, String distinctId, String mergeFrom, String properties) {
        ObjectNode props = (ObjectNode) Json.read(properties.replace('\'', '"'));
        BatchPersonStore store = new BatchPersonStore(repository, transactions, outbox);
        PersonProcessor.Outcome outcome = processor.process(store, new PersonProcessor.Request(teamId, distinctId, event,
                mergeFrom, PropertyUpdates.of(event, props), Instant.parse("2026-01-01T00:00:00Z"),
                UUID.randomUUID().toString()));
        List<PersonProcessor.Warning> warnings = new ArrayList<>(outcome.warnings());
        List<OutgoingRecord> rows = processor.flush(store, (request, warning) -> warnings.add(warning));
        return new Outcome(personOf(distinctId), rows, warnings);
    }

    private Person personOf(String distinctId) {
        return repository.find(teamId, distinctId).orElseThrow(() -> new AssertionError("no person for " + distinctId));
    }

    private long persons() {
        return jdbc.queryForObject("SELECT count(*) FROM person WHERE team_id = ?", Long.class, teamId);
    }

    private static List<JsonNode> rows(Outcome outcome, String topic) {
        List<JsonNode> rows = new ArrayList<>();
        for (OutgoingRecord record : outcome.rows()) {
            if (record.topic().equals(topic)) {
                rows.add(Json.read(new String(record.value(), StandardCharsets.UTF_8)));
            }
        }
        return rows;
    }

    @Test
    void firstEventCreatesThePersonFromSetOnceThenSet() {
        Outcome outcome = event("anon-1", "{'$set':{'plan':'free','a':1},'$set_once':{'a':0,'first':'x'}}");
        Person person = outcome.person();
        assertThat(person.uuid()).isEqualTo(Uuids.personUuid(teamId, "anon-1"));
        assertThat(person.properties().get("plan").asString()).isEqualTo("free");
        assertThat(person.properties().get("a").asInt()).as("$set wins over $set_once").isEqualTo(1);
        assertThat(person.properties().get("first").asString()).isEqualTo("x");
        assertThat(person.properties().has("$creator_event_uuid")).isTrue();
        assertThat(person.isIdentified()).isFalse();
        assertThat(rows(outcome, Topics.CLICKHOUSE_PERSON)).hasSize(1);
        JsonNode distinctIdRow = rows(outcome, Topics.CLICKHOUSE_PERSON_DISTINCT_ID).getFirst();
        assertThat(distinctIdRow.get("distinct_id").asString()).isEqualTo("anon-1");
        assertThat(distinctIdRow.get("version").asLong()).isZero();
    }

    @Test
    void propertyOperationsApplySetOnceThenSetThenUnsetAndBumpTheVersion() {
        event("u", "{'$set':{'keep':1,'gone':1},'$set_once':{'once':'first'}}");
        long before = personOf("u").version();
        Outcome outcome = event("u", "{'$set_once':{'once':'second','new_once':true},'$set':{'keep':2},"
                + "'$unset':['gone']}");
        ObjectNode properties = outcome.person().properties();
        assertThat(properties.get("once").asString()).isEqualTo("first");
        assertThat(properties.get("new_once").asBoolean()).isTrue();
        assertThat(properties.get("keep").asInt()).isEqualTo(2);
        assertThat(properties.has("gone")).isFalse();
        assertThat(outcome.person().version()).isEqualTo(before + 1);
        Outcome unchanged = event("u", "{'$set':{'keep':2}}");
        assertThat(unchanged.person().version()).as("no change, no write").isEqualTo(before + 1);
        assertThat(rows(unchanged, Topics.CLICKHOUSE_PERSON)).as("no write, no row").isEmpty();
    }

    @Test
    void changesToFrequentlyChangingKeysAloneAreNotWrittenAndTheNextRealChangeWritesTheCurrentValues() {
        event("lean", "{'$set':{'$current_url':'https://a/','$browser':'Chrome'}}");
        Person created = personOf("lean");

        Outcome quiet = event("lean", "{'$set':{'$current_url':'https://b/','$browser':'Firefox'}}");
        assertThat(quiet.person().version()).as("not written").isEqualTo(created.version());
        assertThat(quiet.person().properties().get("$current_url").asString()).isEqualTo("https://a/");
        assertThat(rows(quiet, Topics.CLICKHOUSE_PERSON)).isEmpty();

        Outcome real = event("lean", "{'$set':{'$current_url':'https://c/','plan':'pro'}}");
        assertThat(real.person().version()).isEqualTo(created.version() + 1);
        assertThat(real.person().properties()).isEqualTo(Json.read(
                ("{'$current_url':'https://c/','$browser':'Chrome','plan':'pro','$creator_event_uuid':'"
                        + created.properties().get("$creator_event_uuid").asString() + "'}").replace('\'', '"')));
        assertThat(rows(real, Topics.CLICKHOUSE_PERSON)).singleElement()
                .satisfies(row -> assertThat(row.get("properties").asString()).contains("https://c/", "pro"));
    }

    @Test
    void withinABatchAQuietChangeIsCarriedByTheNextWrite() {
        event("carried", "{'$set':{'$browser':'Chrome'}}");
        BatchPersonStore store = new BatchPersonStore(repository, transactions, outbox);
        Instant at = Instant.parse("2026-01-02T00:00:00Z");
        PersonProcessor.Outcome quiet = processor.process(store, new PersonProcessor.Request(teamId, "carried",
                "$pageview", null, PropertyUpdates.of("$pageview", (ObjectNode) Json.read("{\"$set\":{\"$browser\":\"Edge\"}}")),
                at, UUID.randomUUID().toString()));
        assertThat(quiet.person().properties().get("$browser").asString()).as("the event shows it").isEqualTo("Edge");
        processor.process(store, new PersonProcessor.Request(teamId, "carried", "$pageview", null,
                PropertyUpdates.of("$pageview", (ObjectNode) Json.read("{\"$set\":{\"plan\":\"pro\"}}")), at,
                UUID.randomUUID().toString()));
        processor.flush(store, (request, warning) -> {
            throw new AssertionError(warning.toString());
        });

        assertThat(personOf("carried").properties().get("$browser").asString()).isEqualTo("Edge");
        assertThat(personOf("carried").properties().get("plan").asString()).isEqualTo("pro");
    }

    @Test
    void anUpdateThatWouldCrossTheSizeLimitIsRefusedWithAWarning() {
        event("big", "{'$set':{'plan':'free'}}");
        Person before = personOf("big");

        Outcome refused = event("big", "{'$set':{'plan':'pro','blob':'" + "x".repeat(PropertySizeLimit.MAX_BYTES) + "'}}");

        assertThat(refused.person().properties()).isEqualTo(before.properties());
        assertThat(refused.person().version()).isEqualTo(before.version());
        assertThat(refused.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.type()).isEqualTo("person_properties_size_violation");
            assertThat(warning.details()).containsEntry("personId", before.uuid().toString())
                    .containsEntry("distinctId", "big");
        });
    }

    @Test
    void aNewPersonPastTheSizeLimitIsCreatedTrimmedWithAWarning() {
        Outcome created = event("born-big", "{'$set':{'email':'a@b.c','blob':'" + "x".repeat(PropertySizeLimit.MAX_BYTES)
                + "','small':1}}");

        assertThat(created.person().properties().has("blob")).isFalse();
        assertThat(created.person().properties().get("email").asString()).isEqualTo("a@b.c");
        assertThat(created.person().properties().get("small").asInt()).isEqualTo(1);
        assertThat(created.warnings()).extracting(PersonProcessor.Warning::type)
                .containsExactly("person_properties_size_violation");
    }

    @Test
    void identifyWithOnlyTheAnonymousPersonAddsTheNewIdToIt() {
        Person anonymous = event("anon-2", "{}").person();
        Outcome outcome = send("$identify", "user-2", "anon-2", "{'$set':{'email':'u2@x.com'}}");
        assertThat(outcome.person().id()).isEqualTo(anonymous.id());
        assertThat(outcome.person().isIdentified()).isTrue();
        assertThat(personOf("user-2").id()).isEqualTo(anonymous.id());
        assertThat(outcome.person().properties().get("email").asString()).isEqualTo("u2@x.com");
    }

    @Test
    void identifyWithOnlyTheTargetPersonAddsTheAnonymousId() {
        Person target = event("user-3", "{}").person();
        Outcome outcome = send("$identify", "user-3", "anon-3", "{}");
        assertThat(outcome.person().id()).isEqualTo(target.id());
        assertThat(personOf("anon-3").id()).isEqualTo(target.id());
        assertThat(outcome.person().isIdentified()).isTrue();
    }

    @Test
    void identifyWithNeitherPersonCreatesOneIdentifiedPersonWithBothIds() {
        Outcome outcome = send("$identify", "user-4", "anon-4", "{'$set':{'name':'Four'}}");
        assertThat(outcome.person().isIdentified()).isTrue();
        assertThat(outcome.person().uuid()).isEqualTo(Uuids.personUuid(teamId, "user-4"));
        assertThat(personOf("anon-4").id()).isEqualTo(personOf("user-4").id());
        assertThat(persons()).isEqualTo(1);
        assertThat(rows(outcome, Topics.CLICKHOUSE_PERSON_DISTINCT_ID)).hasSize(2);
    }

    @Test
    void mergingTwoPersonsKeepsTheTargetsPropertiesTheEarliestCreationAndDeletesTheSource() {
        Person source = event("anon-5", "{'$set':{'shared':'source','only_source':1}}").person();
        Person target = event("user-5", "{'$set':{'shared':'target'}}").person();
        Outcome outcome = send("$identify", "user-5", "anon-5", "{'$set':{'after':true}}");
        Person merged = outcome.person();
        assertThat(merged.id()).isEqualTo(target.id());
        assertThat(merged.properties().get("shared").asString()).as("the target wins").isEqualTo("target");
        assertThat(merged.properties().get("only_source").asInt()).isEqualTo(1);
        assertThat(merged.properties().get("after").asBoolean()).isTrue();
        assertThat(merged.isIdentified()).isTrue();
        assertThat(merged.version()).isEqualTo(Math.max(source.version(), target.version()) + 1);
        assertThat(persons()).isEqualTo(1);
        assertThat(personOf("anon-5").id()).isEqualTo(target.id());

        List<JsonNode> personRows = rows(outcome, Topics.CLICKHOUSE_PERSON);
        JsonNode deleted = personRows.stream().filter(r -> r.get("is_deleted").asInt() == 1).findFirst().orElseThrow();
        assertThat(deleted.get("id").asString()).isEqualTo(source.uuid().toString());
        assertThat(deleted.get("version").asLong()).isEqualTo(source.version() + 100);
        JsonNode moved = rows(outcome, Topics.CLICKHOUSE_PERSON_DISTINCT_ID).getFirst();
        assertThat(moved.get("distinct_id").asString()).isEqualTo("anon-5");
        assertThat(moved.get("person_id").asString()).isEqualTo(target.uuid().toString());
        assertThat(moved.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void anAlreadyIdentifiedSourceIsNotMergedButTheTargetIsStillUpdated() {
        send("$identify", "user-6a", "anon-6a", "{}");
        event("user-6b", "{}");
        Outcome outcome = send("$create_alias", "user-6b", "user-6a", "{'$set':{'x':1}}");
        assertThat(outcome.warnings()).extracting(PersonProcessor.Warning::type).containsExactly("cannot_merge_already_identified");
        assertThat(outcome.warnings().getFirst().details()).containsEntry("sourcePersonDistinctId", "user-6a")
                .containsEntry("targetPersonDistinctId", "user-6b");
        assertThat(persons()).isEqualTo(2);
        assertThat(personOf("user-6b").isIdentified()).isTrue();
        assertThat(personOf("user-6b").properties().get("x").asInt()).isEqualTo(1);
    }

    @Test
    void mergeDangerouslyMergesEvenAnIdentifiedSource() {
        send("$identify", "user-7a", "anon-7a", "{}");
        event("user-7b", "{}");
        Outcome outcome = send("$merge_dangerously", "user-7b", "user-7a", "{}");
        assertThat(outcome.warnings()).isEmpty();
        assertThat(persons()).isEqualTo(1);
        assertThat(personOf("anon-7a").id()).isEqualTo(personOf("user-7b").id());
    }

    @Test
    void illegalDistinctIdsNeverMergeButStillGetTheirUpdates() {
        for (String illegal : List.of("null", "NaN", "undefined", "uNdEfInEd", "'null'", "\"guest\"", "0", " ")) {
            event("user-8", "{}");
            Outcome outcome = send("$identify", "user-8", illegal, "{'$set':{'seen':true}}");
            assertThat(outcome.warnings()).as(illegal).extracting(PersonProcessor.Warning::type)
                    .containsExactly("cannot_merge_with_illegal_distinct_id");
            assertThat(outcome.warnings().getFirst().details()).containsEntry("illegalDistinctId", illegal);
            assertThat(repository.find(teamId, illegal)).as(illegal).isEmpty();
            assertThat(outcome.person().isIdentified()).as("is_identified unchanged").isFalse();
        }
        Outcome legal = send("$identify", "user-8", "nan", "{}");
        assertThat(legal.warnings()).as("'nan' is legal, 'NaN' is not").isEmpty();
        assertThat(personOf("nan").id()).isEqualTo(personOf("user-8").id());
    }

    @Test
    void identifyingWithTheSameIdChangesNothing() {
        event("user-9", "{}");
        Outcome outcome = send("$identify", "user-9", "user-9", "{}");
        assertThat(outcome.person().isIdentified()).isFalse();
        assertThat(outcome.warnings()).isEmpty();
    }

    @Test
    void distinctIdsUsedByPersonlessEventsGetVersionOneWhenTheyJoinAPerson() {
        repository.markPersonless(teamId, "anon-10");
        Outcome outcome = send("$identify", "user-10", "anon-10", "{}");
        Map<String, Long> versions = new HashMap<>();
        rows(outcome, Topics.CLICKHOUSE_PERSON_DISTINCT_ID).forEach(r -> versions.put(r.get("distinct_id").asString(),
                r.get("version").asLong()));
        assertThat(versions).containsEntry("anon-10", 1L).containsEntry("user-10", 0L);
    }

    @Test
    void racingMergesEndConsistentWithNoDistinctIdLostOrDangling() throws Exception {
        int chains = 20;
        for (int i = 0; i < chains; i++) {
            event("race-anon-" + i, "{}");
            event("race-user-" + i, "{}");
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < chains; i++) {
                int n = i;
                // Two merges per chain from different "partitions", plus a cross-chain alias, all at once.
                futures.add(pool.submit(() -> send("$identify", "race-user-" + n, "race-anon-" + n, "{}")));
                futures.add(pool.submit(() -> send("$merge_dangerously", "race-anon-" + n, "race-user-" + n, "{}")));
                futures.add(pool.submit(() -> send("$merge_dangerously", "race-user-" + n, "race-user-" + ((n + 1) % chains), "{}")));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM person_distinct_id WHERE team_id = ?", Long.class, teamId))
                .isEqualTo(2L * chains);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM person_distinct_id d LEFT JOIN person p ON p.id = d.person_id"
                + " WHERE d.team_id = ? AND p.id IS NULL", Long.class, teamId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM person p WHERE team_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM person_distinct_id d WHERE d.person_id = p.id)", Long.class, teamId)).isZero();
    }

    @Test
    void aBatchMergesThroughTheSameRulesAndKeepsWhatTheMergeLearnedWithoutReadingAgain() {
        event("batch-anon", "{'$set':{'seen':'anon'}}");
        event("batch-user", "{'$set':{'plan':'pro'}}");
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        PersonRepository counting = (PersonRepository) Proxy.newProxyInstance(
                PersonRepository.class.getClassLoader(), new Class<?>[] {PersonRepository.class}, (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(repository, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BatchPersonStore store = new BatchPersonStore(counting, transactions, outbox);
        store.prefetch(teamId, List.of("batch-anon", "batch-user", "batch-new"));
        Instant at = Instant.parse("2026-01-02T00:00:00Z");
        processor.process(store, new PersonProcessor.Request(teamId, "batch-new", "$pageview", null,
                PropertyUpdates.fromProperties(Json.object()), at, UUID.randomUUID().toString()));
        PersonProcessor.Outcome merged = processor.process(store, new PersonProcessor.Request(teamId, "batch-user",
                "$identify", "batch-anon", PropertyUpdates.fromProperties(Json.object()), at, UUID.randomUUID().toString()));
        PersonProcessor.Outcome after = processor.process(store, new PersonProcessor.Request(teamId, "batch-anon",
                "$pageview", null, PropertyUpdates.fromProperties((ObjectNode) Json.read("{\"$set\":{\"after\":1}}")), at,
                UUID.randomUUID().toString()));
        List<OutgoingRecord> rows = processor.flush(store, (request, warning) -> {
            throw new AssertionError(warning.toString());
        });

        assertThat(calls.get("findAll")).as("one read for the batch, none after the merge").isEqualTo(1);
        assertThat(after.person().uuid()).isEqualTo(merged.person().uuid());
        Person stored = personOf("batch-anon");
        assertThat(stored.id()).isEqualTo(personOf("batch-user").id());
        assertThat(stored.properties().get("seen").asString()).isEqualTo("anon");
        assertThat(stored.properties().get("plan").asString()).isEqualTo("pro");
        assertThat(stored.properties().get("after").asInt()).as("written on the merged person at the end").isEqualTo(1);
        assertThat(stored.version()).isEqualTo(merged.person().version() + 1);
        assertThat(personOf("batch-new").isIdentified()).isFalse();
        assertThat(persons()).isEqualTo(2);
        assertThat(rows.stream().filter(r -> r.topic().equals(Topics.CLICKHOUSE_PERSON))
                .map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8)))
                .filter(r -> r.get("is_deleted").asInt() == 1)).as("the merged-away person's row").hasSize(1);
    }
}
