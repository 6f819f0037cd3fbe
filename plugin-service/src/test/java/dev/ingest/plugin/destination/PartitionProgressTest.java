package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    @Test
    void nothingReadCommitsNothing() {
        assertThat(new PartitionProgress().committable()).isEqualTo(-1);
    }

    @Test
    void recordsWithoutDeliveriesAreDoneAtOnce() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(10, 0);
        progress.add(11, 0);
        assertThat(progress.committable()).isEqualTo(12);
    }

    @Test
    void theCommitWaitsForTheFirstUnsettledRecordOnly() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(10, 2);
        progress.add(11, 1);
        progress.add(12, 0);
        progress.done(11);
        assertThat(progress.committable()).isEqualTo(10);
        progress.done(10);
        assertThat(progress.committable()).isEqualTo(10);
        progress.done(10);
        assertThat(progress.committable()).isEqualTo(13);
        assertThat(progress.pendingRecords()).isZero();
    }
}
