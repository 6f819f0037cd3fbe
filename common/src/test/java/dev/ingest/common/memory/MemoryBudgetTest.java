package dev.ingest.common.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void largeRequestsCannotTakeTheReserveOfSmallOnes() {
        MemoryBudget budget = new MemoryBudget(1000, 200, 50);
        try (MemoryBudget.Lease large = budget.lease(1000); MemoryBudget.Lease other = budget.lease(1000);
                MemoryBudget.Lease small = budget.lease(1000)) {
            large.charge(700);
            assertThatThrownBy(() -> large.charge(150)).as("beyond capacity - reserve").isInstanceOf(MemoryBudget.Exhausted.class);
            large.charge(100);
            other.charge(50);
            assertThatThrownBy(() -> other.charge(1)).as("past its small allowance, the reserve is closed to it")
                    .isInstanceOf(MemoryBudget.Exhausted.class);
            small.charge(50);
            assertThat(budget.used()).isEqualTo(900);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aBudgetOfTheHeapKeepsAnEighthForSmallRequests() {
        MemoryBudget budget = MemoryBudget.ofHeapFraction(0.4);
        try (MemoryBudget.Lease large = budget.lease(Long.MAX_VALUE); MemoryBudget.Lease small = budget.lease(1024)) {
            large.charge(budget.capacity() - budget.capacity() / 8);
            assertThatThrownBy(() -> large.charge(1)).isInstanceOf(MemoryBudget.Exhausted.class);
            small.charge(1024);
        }
    }

    @Test
    void chargesAreSharedAndGivenBackWhenTheLeaseCloses() {
        MemoryBudget budget = new MemoryBudget(1000);
        try (MemoryBudget.Lease a = budget.lease(1000); MemoryBudget.Lease b = budget.lease(1000)) {
            a.charge(600);
            assertThatThrownBy(() -> b.charge(500)).isInstanceOf(MemoryBudget.Exhausted.class);
            b.charge(400);
            assertThat(budget.used()).isEqualTo(1000);
            a.release(100);
            assertThat(a.held()).isEqualTo(500);
        }
        assertThat(budget.used()).isZero();
        assertThat(budget.highWater()).isEqualTo(1000);
        assertThat(budget.refused()).isEqualTo(1);
    }

    @Test
    void aRequestOverItsOwnCapIsTooCostlyWhateverTheBudgetHolds() {
        MemoryBudget budget = new MemoryBudget(10_000);
        try (MemoryBudget.Lease lease = budget.lease(100)) {
            lease.charge(60);
            assertThatThrownBy(() -> lease.charge(41)).isInstanceOf(MemoryBudget.RequestTooCostly.class);
            assertThat(budget.used()).isEqualTo(60);
        }
    }

    @Test
    void releasingMoreThanHeldGivesBackOnlyWhatIsHeld() {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Lease lease = budget.lease(100);
        lease.charge(30);
        lease.release(1_000);
        assertThat(budget.used()).isZero();
        lease.close();
        assertThatThrownBy(() -> lease.charge(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeclaredSizeIsNeverAllocatedUpFront() throws IOException {
        // A client that announces 20 MiB and sends 3 bytes holds one small chunk while it waits, and the exact body after.
        MemoryBudget budget = new MemoryBudget(1 << 20);
        try (MemoryBudget.Lease lease = budget.lease(1 << 20)) {
            byte[] body = ChargedReader.systemClock().read(new ByteArrayInputStream(new byte[] {1, 2, 3}), 20 << 20, lease,
                    null);
            assertThat(body).containsExactly(1, 2, 3);
            assertThat(lease.held()).isEqualTo(3);
            assertThat(budget.highWater()).isLessThanOrEqualTo(8 * 1024 + 3);
        }
    }

    @Test
    void readsLargeBodiesExactlyAndStopsPastTheLimit() throws IOException {
        byte[] data = new byte[3_000_017];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        MemoryBudget budget = new MemoryBudget(100 << 20);
        try (MemoryBudget.Lease lease = budget.lease(100 << 20)) {
            assertThat(ChargedReader.systemClock().read(new ByteArrayInputStream(data), data.length, lease, null))
                    .isEqualTo(data);
            assertThat(lease.held()).isEqualTo(data.length);
        }
        try (MemoryBudget.Lease lease = budget.lease(100 << 20)) {
            assertThatThrownBy(() -> ChargedReader.systemClock().read(new ByteArrayInputStream(data), data.length - 1,
                    lease, null)).isInstanceOf(ChargedReader.TooLarge.class);
            assertThat(lease.held()).isZero();
        }
    }

    @Test
    void aBodyThatTricklesPastTheTimeoutIsCut() {
        AtomicLong now = new AtomicLong();
        // Each read returns one byte and lets a second pass.
        InputStream trickle = new InputStream() {
            @Override
            public int read() {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        };
        try (MemoryBudget.Lease lease = new MemoryBudget(1 << 20).lease(1 << 20)) {
            assertThatThrownBy(() -> new ChargedReader(now::get).read(trickle, 1 << 20, lease, Duration.ofSeconds(30)))
                    .isInstanceOf(ChargedReader.TooSlow.class);
            assertThat(now.get()).isEqualTo(Duration.ofSeconds(31).toNanos());
        }
    }

    @Test
    void anExhaustedBudgetRefusesTheReadBeforeAllocating() {
        MemoryBudget budget = new MemoryBudget(4 * 1024);
        try (MemoryBudget.Lease lease = budget.lease(1 << 20)) {
            assertThatThrownBy(() -> ChargedReader.systemClock().read(new ByteArrayInputStream(new byte[10]), 100, lease,
                    null)).isInstanceOf(MemoryBudget.Exhausted.class);
        }
        assertThat(budget.used()).isZero();
    }
}
