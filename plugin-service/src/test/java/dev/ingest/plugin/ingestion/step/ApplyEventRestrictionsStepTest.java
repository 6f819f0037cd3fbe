package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.restriction.EventRestriction;
import dev.ingest.common.restriction.EventRestriction.Type;
import dev.ingest.common.restriction.EventRestrictions;
import dev.ingest.common.warning.WindowedWarnings;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drop, dead-letter and skip persons as the project's restrictions say; other projects' events untouched. */
class ApplyEventRestrictionsStepTest {
    private final List<OutgoingRecord> sent = new CopyOnWriteArrayList<>();
    private final WindowedWarnings warnings = new WindowedWarnings(Duration.ofHours(1), 100, Clock.systemUTC(),
            records -> {
                sent.addAll(records);
                return CompletableFuture.completedFuture(null);
            }, warning -> new OutgoingRecord("warnings", warning.key().scope(), Json.writeBytes(warning.details())));

    @AfterEach
    void close() {
        warnings.close();
    }

    private ApplyEventRestrictionsStep step(Type type, Set<String> distinctIds) {
        EventRestrictions restrictions = new EventRestrictions(List.of(new EventRestriction(7, Events.TEAM_ID,
                Events.TOKEN, type, distinctIds, Set.of(), Set.of(), Set.of())));
        return new ApplyEventRestrictionsStep(() -> restrictions, warnings);
    }

    @Test
    void aDroppedEventIsReportedOncePerWindowWithItsRestriction() {
        ApplyEventRestrictionsStep step = step(Type.DROP_EVENT, Set.of());
        for (int i = 0; i < 3; i++) {
            assertThat(step.apply(event("$pageview").build())).isInstanceOfSatisfying(StepResult.Drop.class,
                    drop -> assertThat(drop.cause()).isEqualTo("event_restriction"));
        }
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(Long.toString(Events.TEAM_ID));
            String details = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(Json.read(details).get("restrictionId").asLong()).isEqualTo(7);
            assertThat(Json.read(details).get("restrictionType").asString()).isEqualTo("drop_event_from_ingestion");
        });
    }

    @Test
    void aDeadLetterRestrictionSendsTheMessageToTheDeadLetterTopic() {
        assertThat(step(Type.REDIRECT_TO_DLQ, Set.of()).apply(event("$pageview").build()))
                .isInstanceOfSatisfying(StepResult.DeadLetter.class,
                        dead -> assertThat(dead.reason()).isEqualTo("restricted_to_dlq"));
    }

    @Test
    void aSkipPersonsRestrictionMakesTheEventPersonless() {
        EventContext context = event("$pageview").properties("{\"$process_person_profile\": true}").build();
        assertThat(step(Type.SKIP_PERSON_PROCESSING, Set.of(Events.DISTINCT_ID)).apply(context))
                .isInstanceOf(StepResult.Ok.class);
        assertThat(context.properties().get("$process_person_profile").asBoolean()).isFalse();
    }

    @Test
    void anEventTheRestrictionDoesNotNameGoesOnUntouched() {
        EventContext context = event("$pageview").build();
        assertThat(step(Type.DROP_EVENT, Set.of("someone-else")).apply(context)).isInstanceOf(StepResult.Ok.class);
        assertThat(context.properties().has("$process_person_profile")).isFalse();
        assertThat(sent).isEmpty();
    }
}
