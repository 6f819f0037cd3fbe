package dev.ingest.plugin.ingestion.pipeline;

import java.util.Objects;

/**
 * The outcome of one pipeline step, as a value. Steps throw only to ask for a retry of the whole batch (a dependency
 * is down); everything else is one of these.
 */
public sealed interface StepResult<T> {
    /** Go on with {@code value}. */
    record Ok<T>(T value) implements StepResult<T> {
        public Ok {
            Objects.requireNonNull(value, "value is null");
        }
    }

    /** Stop here on purpose; {@code cause} is a fixed snake_case label, counted per step. */
    record Drop<T>(String cause) implements StepResult<T> {}

    /** Stop here and keep the message on the dead-letter topic, with the step and reason in its headers. */
    record DeadLetter<T>(String reason, Throwable error) implements StepResult<T> {}

    static <T> StepResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> StepResult<T> drop(String cause) {
        return new Drop<>(cause);
    }

    static <T> StepResult<T> deadLetter(String reason, Throwable error) {
        return new DeadLetter<>(reason, error);
    }
}
