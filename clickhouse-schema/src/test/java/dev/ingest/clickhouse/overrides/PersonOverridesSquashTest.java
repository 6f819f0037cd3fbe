package dev.ingest.clickhouse.overrides;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PersonOverridesSquashTest {
    private static final UUID PERSON = UUID.fromString("0189a2b4-0000-7000-8000-0000000000bb");

    @Test
    void theMappingGivesEachDistinctIdItsPersonAndLeavesTheRest() {
        String mapping = PersonOverridesSquash.mapping(List.of(new PersonOverridesSquash.Override(1, "a'b", PERSON, 2),
                new PersonOverridesSquash.Override(1, "c", PERSON, 1)));

        assertThat(mapping).isEqualTo("multiIf(distinct_id = 'a\\'b', toUUID('" + PERSON + "'), distinct_id = 'c', toUUID('"
                + PERSON + "'), person_id)");
    }

    @Test
    void overridesAreChunkedPerProjectAndSize() {
        List<PersonOverridesSquash.Override> overrides = new ArrayList<>();
        for (int i = 0; i < PersonOverridesSquash.IDS_PER_MUTATION + 5; i++) {
            overrides.add(new PersonOverridesSquash.Override(1, "d" + i, PERSON, 1));
        }
        overrides.add(new PersonOverridesSquash.Override(2, "x", PERSON, 1));

        List<List<PersonOverridesSquash.Override>> chunks = PersonOverridesSquash.chunks(overrides);

        assertThat(chunks).extracting(List::size).containsExactly(PersonOverridesSquash.IDS_PER_MUTATION, 5, 1);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk).extracting(PersonOverridesSquash.Override::teamId)
                .containsOnly(chunk.getFirst().teamId()));
    }
}
