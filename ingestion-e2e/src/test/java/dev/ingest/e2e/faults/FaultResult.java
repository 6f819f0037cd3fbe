package dev.ingest.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * One row of the results: the fault, what the load sent and capture acknowledged, what ClickHouse stored, and how
 * long recovery took from the fault's end, until every service answered ready and until every event acknowledged
 * before the fault's end was stored (-1: not within the limit).
 */
record FaultResult(String fault, long sent, long acknowledged, Delivery delivery, long healthyAfterMillis,
        long allStoredAfterMillis, List<String> notes, List<String> problems) {
    /** The suite's verdict: every fault ran, and in each no acknowledged event was lost or doubled, no promise broken. */
    static void assertEveryPromiseHeld(List<FaultResult> results, int faults) {
        assertThat(results).as("every fault ran").hasSize(faults);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.delivery().lostUuids()).as("%s: acknowledged events lost", result.fault()).isEmpty();
            assertThat(result.delivery().duplicatedUuids()).as("%s: events duplicated", result.fault()).isEmpty();
            assertThat(result.problems()).as("%s: problems", result.fault()).isEmpty();
        });
    }

    @Override
    public String toString() {
        return fault + ": sent " + sent + ", acknowledged " + acknowledged + ", stored " + delivery.stored() + ", lost "
                + delivery.lost() + ", duplicated " + delivery.duplicated() + ", healthy after " + healthyAfterMillis
                + " ms, all stored after " + allStoredAfterMillis + " ms" + (problems.isEmpty() ? "" : ", PROBLEMS " + problems)
                + (notes.isEmpty() ? "" : ", notes " + notes);
    }
}
