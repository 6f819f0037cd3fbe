package dev.ingest.decide.flags;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flags of one request.
 *
 * @param flags by flag key, in evaluation order; flags that failed are absent
 * @param errorsWhileComputingFlags whether any flag failed
 */
public record FlagsEvaluation(Map<String, FlagResult> flags, boolean errorsWhileComputingFlags) {

    public FlagsEvaluation {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }
}
