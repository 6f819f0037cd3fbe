package dev.ingest.common.memory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads a stream (a request body, a decompressing stream) into one array, in chunks charged to a {@link
 * MemoryBudget.Lease} before each is allocated. No buffer is sized from a number the client sent: the first chunk is
 * small and each next one at most doubles what was read, so a client that declares 20 MiB and sends one byte holds one
 * small chunk. Past {@code limit} bytes the read stops with {@link TooLarge}; past the timeout, with {@link TooSlow}.
 */
public final class ChargedReader {
    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int LARGEST_CHUNK = 1024 * 1024;

    private final LongSupplier nanoTime;

    public ChargedReader(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public static ChargedReader systemClock() {
        return new ChargedReader(System::nanoTime);
    }

    /**
     * All of {@code in}, at most {@code limit} bytes, read within {@code timeout} (null: no time limit). The returned
     * array stays charged to the lease; the chunks are released.
     */
    public byte[] read(InputStream in, long limit, MemoryBudget.Lease lease, Duration timeout) throws IOException {
        long started = nanoTime.getAsLong();
        long timeoutNanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        List<byte[]> chunks = new ArrayList<>();
        long chunkBytes = 0;
        long total = 0;
        int lastFill = 0;
        byte[] chunk = null;
        try {
            while (true) {
                if (chunk == null || lastFill == chunk.length) {
                    int size = (int) Math.min(LARGEST_CHUNK, Math.max(FIRST_CHUNK, Math.min(total, limit + 1 - total)));
                    size = Math.max(size, 1);
                    lease.charge(size);
                    chunkBytes += size;
                    chunk = new byte[size];
                    chunks.add(chunk);
                    lastFill = 0;
                }
                int read = in.read(chunk, lastFill, chunk.length - lastFill);
                if (nanoTime.getAsLong() - started > timeoutNanos) {
                    throw new TooSlow();
                }
                if (read < 0) {
                    break;
                }
                lastFill += read;
                total += read;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
            }
            lease.charge(total);
            byte[] result = new byte[(int) total];
            int at = 0;
            for (int i = 0; i < chunks.size(); i++) {
                byte[] c = chunks.get(i);
                int length = i == chunks.size() - 1 ? lastFill : c.length;
                System.arraycopy(c, 0, result, at, length);
                at += length;
            }
            return result;
        } finally {
            lease.release(chunkBytes);
        }
    }

    /** More than the limit would have been read. */
    public static final class TooLarge extends IOException {
        private final long limit;

        public TooLarge(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /** The stream did not end before the deadline (a client trickling its body). */
    public static final class TooSlow extends IOException {
        TooSlow() {
            super("the body did not arrive in time");
        }
    }
}
