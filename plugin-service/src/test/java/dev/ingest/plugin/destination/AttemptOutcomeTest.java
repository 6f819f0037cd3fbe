package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptOutcomeTest {
    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204, 301, 302})
    void successAndUnfollowedRedirectsAreDelivered(int status) {
        assertThat(AttemptOutcome.ofStatus(status)).isInstanceOf(AttemptOutcome.Delivered.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void overloadAndServerErrorsAreRetried(int status) {
        assertThat(AttemptOutcome.ofStatus(status)).isInstanceOf(AttemptOutcome.Retry.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 422})
    void clientErrorsFailForGood(int status) {
        assertThat(AttemptOutcome.ofStatus(status)).isInstanceOf(AttemptOutcome.Fail.class);
    }

    @Test
    void networkTroubleIsRetriedAndBadRequestsAreNot() {
        assertThat(AttemptOutcome.ofException(new HttpTimeoutException("slow"))).isInstanceOf(AttemptOutcome.Retry.class);
        assertThat(AttemptOutcome.ofException(new ConnectException("refused"))).isInstanceOf(AttemptOutcome.Retry.class);
        assertThat(AttemptOutcome.ofException(new UnknownHostException("x"))).isInstanceOf(AttemptOutcome.Retry.class);
        assertThat(AttemptOutcome.ofException(new IOException("reset"))).isInstanceOf(AttemptOutcome.Retry.class);
        assertThat(AttemptOutcome.ofException(new IllegalArgumentException("restricted header")))
                .isInstanceOf(AttemptOutcome.Fail.class);
    }
}
