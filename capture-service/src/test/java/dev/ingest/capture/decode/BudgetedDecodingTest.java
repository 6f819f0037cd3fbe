package dev.ingest.capture.decode;

import static dev.ingest.capture.decode.TestRequests.gzip;
import static dev.ingest.capture.decode.TestRequests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.memory.MemoryBudget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a request costs once parsed is charged to its lease before it is allocated: inputs whose trees are many times
 * their size (empty objects, long arrays of numbers, behind gzip) are answered as PostHog answers them, or refused as
 * too costly, while the budget's high-water mark stays a bounded multiple of the text.
 */
class BudgetedDecodingTest {
    private static final long MIB = 1024 * 1024;
    private static final PayloadDecoder DECODER = new PayloadDecoder(new Limits(20 * MIB));
    private static final EventExtractor EXTRACTOR = new EventExtractor(TestRequests.CLOCK);

    @Test
    void twentyMebibytesOfEmptyObjectsBehindGzipAreAnsweredWithoutTheirTree() {
        // The attack of the resource-safety issue: ~20 KB on the wire, seven million objects as a tree.
        byte[] batch = ("{\"api_key\":\"phc_t\",\"batch\":[" + "{},".repeat((int) (20 * MIB / 3) - 20) + "{}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = gzip(batch);
        assertThat(body.length).isLessThan(100_000);
        MemoryBudget budget = new MemoryBudget(64 * MIB);

        Throwable thrown = run(budget, 64 * MIB, post("/batch/").body(body).build());

        assertThat(thrown).isInstanceOf(CaptureException.class);
        assertThat(((CaptureException) thrown).error()).isEqualTo(CaptureError.INVALID_PAYLOAD);
        assertThat(thrown).hasMessageContaining("All events must have the event name field");
        // The body, the decompressed text (twice while its chunks are joined) and one event's tree at a time.
        assertThat(budget.highWater()).isLessThan(body.length + 2L * batch.length + MIB);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aMillionNumbersInOneEventAreRefusedBeforeTheirTreeIsBuilt() {
        byte[] event = ("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phc_t\",\"properties\":{\"a\":["
                + "1,".repeat(1_000_000) + "1]}}").getBytes(StandardCharsets.UTF_8);
        MemoryBudget budget = new MemoryBudget(1024 * MIB);

        Throwable thrown = run(budget, 32 * MIB, post("/e/").json(new String(event, StandardCharsets.UTF_8)).build());

        assertThat(thrown).isInstanceOf(MemoryBudget.RequestTooCostly.class);
        assertThat(budget.highWater()).isLessThan(2L * event.length + MIB);
    }

    @Test
    void aBatchOfManyTinyEventsIsRefusedOnceItsEventsOutgrowTheRequestCap() {
        String one = "{\"event\":\"e\",\"distinct_id\":\"d\"},";
        byte[] batch = ("{\"api_key\":\"phc_t\",\"batch\":[" + one.repeat(200_000) + "{\"event\":\"e\",\"distinct_id\":\"d\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        MemoryBudget budget = new MemoryBudget(1024 * MIB);

        assertThat(run(budget, 16 * MIB, post("/batch/").body(batch).build()))
                .isInstanceOf(MemoryBudget.RequestTooCostly.class);
        assertThat(run(budget, 512 * MIB, post("/batch/").body(batch).build())).isNull();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aFullBudgetRefusesTheRequestAsOverloadedNotTooLarge() {
        MemoryBudget budget = new MemoryBudget(64 * 1024);
        try (MemoryBudget.Lease other = budget.lease(64 * 1024)) {
            other.charge(60 * 1024);
            String event = "{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phc_t\",\"properties\":{\"p\":\""
                    + "x".repeat(10_000) + "\"}}";
            assertThat(run(budget, 64 * 1024, post("/e/").json(event).build())).isInstanceOf(MemoryBudget.Exhausted.class);
        }
    }

    private static Throwable run(MemoryBudget budget, long cap, CaptureRequest request) {
        try (MemoryBudget.Lease lease = budget.lease(cap)) {
            return catchThrowable(() -> EXTRACTOR.extract(DECODER.decode(request, lease), request, lease));
        }
    }
}
