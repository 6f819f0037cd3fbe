package dev.ingest.plugin.destination;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppHooks;
import dev.ingest.plugin.apps.OnEventHandler;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Makes one attempt of a delivery and classifies it ({@link AttemptOutcome}): a request is checked against the
 * {@link TargetPolicy} and sent with the configured timeouts, redirects never followed; an onEvent call runs the
 * app's current handler. Never throws.
 */
public final class AttemptRunner {
    private static final Set<String> HEADERS_THE_CLIENT_SETS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding");

    private final TargetPolicy policy;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final BiFunction<Long, Long, Optional<AppHooks>> currentApps;

    /**
     * @param currentApps (team id, destination id) to the destination's app as configured now, empty when it was
     *     removed or disabled since the delivery was made (the delivery is then skipped)
     */
    public AttemptRunner(TargetPolicy policy, Duration connectTimeout, Duration requestTimeout,
            BiFunction<Long, Long, Optional<AppHooks>> currentApps) {
        this.policy = policy;
        this.requestTimeout = requestTimeout;
        this.currentApps = currentApps;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
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
        Optional<String> refusal = policy.refusal(url);
        if (refusal.isPresent()) {
            return new AttemptOutcome.Fail("target refused: " + refusal.get());
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(requestTimeout).method(request.method(), body);
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (!HEADERS_THE_CLIENT_SETS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        HttpResponse<Void> response = client.send(builder.build(), HttpResponse.BodyHandlers.discarding());
        return AttemptOutcome.ofStatus(response.statusCode());
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
