package dev.ingest.plugin.destination;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppHooks;
import dev.ingest.plugin.apps.OnEventHandler;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Makes one attempt of a delivery and classifies it ({@link AttemptOutcome}): a request is checked against the
 * {@link TargetPolicy} and sent to the address it checked ({@link PinnedHttpClient}) with the configured timeouts,
 * redirects never followed; an onEvent call runs the
 * app's current handler. Never throws.
 */
public final class AttemptRunner {
    private final TargetPolicy policy;
    private final PinnedHttpClient client;
    private final BiFunction<Long, Long, Optional<AppHooks>> currentApps;

    /**
     * @param currentApps (team id, destination id) to the destination's app as configured now, empty when it was
     *     removed or disabled since the delivery was made (the delivery is then skipped)
     */
    public AttemptRunner(TargetPolicy policy, Duration connectTimeout, Duration requestTimeout,
            BiFunction<Long, Long, Optional<AppHooks>> currentApps) {
        this.policy = policy;
        this.currentApps = currentApps;
        this.client = new PinnedHttpClient(connectTimeout, requestTimeout);
    }

    public AttemptOutcome attempt(Delivery delivery) {
        try {
            Optional<AppHooks> app = currentApps.apply(delivery.teamId(), delivery.destinationId());
            if (app.isEmpty()) {
                return new AttemptOutcome.Skipped("the destination is no longer enabled");
            }
            return delivery.request() != null ? send(delivery.request()) : callOnEvent(delivery, app.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AttemptOutcome.Retry("interrupted");
        } catch (Exception | StackOverflowError e) {
            return AttemptOutcome.ofException(e);
        }
    }

    private AttemptOutcome send(WebhookRequest request) throws Exception {
        URI url = request.url();
        return switch (policy.check(url)) {
            case TargetPolicy.Verdict.Refused refused -> new AttemptOutcome.Fail("target refused: " + refused.reason());
            case TargetPolicy.Verdict.Allowed allowed -> AttemptOutcome.ofStatus(client.send(url, allowed.address(),
                    request.method(), request.headers(), request.body() == null ? new byte[0]
                            : request.body().getBytes(StandardCharsets.UTF_8)));
        };
    }

    private AttemptOutcome callOnEvent(Delivery delivery, AppHooks app) {
        OnEventHandler handler = app.onEvent();
        if (handler == null) {
            return new AttemptOutcome.Skipped("the app no longer has an onEvent function");
        }
        try {
            handler.onEvent(delivery.event(), new AppContext(delivery.teamId(), delivery.app(),
                    delivery.destinationId(), delivery.eventUuid(), delivery.event().path("distinct_id").asString("")));
        } catch (Exception | StackOverflowError e) {
            // An onEvent failure is the app's, whatever its type: retried with backoff like a failed request.
            return new AttemptOutcome.Retry("onEvent threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new AttemptOutcome.Delivered("onEvent returned");
    }
}
