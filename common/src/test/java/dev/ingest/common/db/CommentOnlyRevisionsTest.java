package dev.ingest.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommentOnlyRevisionsTest {
    @Test
    void computesFlywaysChecksum() {
        // What Flyway recorded for V1 (never edited) on the test stack's database.
        assertThat(CommentOnlyRevisions.checksum("db/migration/V1__teams.sql")).isEqualTo(172084783);
    }

    @Test
    void everyRevisionNamesAnEarlierTextOfAnExistingMigration() {
        assertThat(CommentOnlyRevisions.REVISIONS).allSatisfy(revision -> assertThat(
                CommentOnlyRevisions.checksum(revision.script())).isNotEqualTo(revision.earlierChecksum()));
    }
}
