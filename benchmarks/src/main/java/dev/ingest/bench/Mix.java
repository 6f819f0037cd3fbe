package dev.ingest.bench;

import java.util.List;

/** A stream of events for the plugin benchmarks; {@link #next} continues it (state such as who identified stays). */
interface Mix {
    /** What the mix is, for the report. */
    String describe();

    /** The next {@code count} events; {@code pass} numbers the call (negative for warm-up passes). */
    List<MixEvent> next(String token, int count, int pass);
}
