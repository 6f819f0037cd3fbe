package dev.ingest.decide.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the 400s of the input readers. */
final class ApiExceptions {
    private ApiExceptions() {}

    /** Asserts a 400 validation error naming {@code attr}; returns an assertion on its detail. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ThrowingCallable call, String attr) {
        return assertThatThrownBy(call)
                .isInstanceOf(ApiException.class)
                .hasFieldOrPropertyWithValue("status", 400)
                .hasFieldOrPropertyWithValue("code", "invalid_input")
                .hasFieldOrPropertyWithValue("attr", attr);
    }
}
