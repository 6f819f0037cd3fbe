package dev.ingest.e2e.faults;

import dev.ingest.e2e.PlatformStores;
import dev.ingest.e2e.TestingPlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The platform a fault suite injects faults into: where its load goes, where its data is, and whether its services
 * are healthy. {@link SingleNodeDeployment}: one of each service as processes of the suite's own; {@link
 * ClusterDeployment}: the cluster topology as ./platform runs it, behind its proxy.
 */
interface Deployment extends AutoCloseable {
    /** Where the load sends its capture requests. */
    URI captureUrl();

    TestingPlatform.TestProject createProject(String name);

    PlatformStores stores();

    /** Messages on plugin-service's input topics beyond its consumer group's committed offsets. */
    long pluginLag();

    /** Waits, within a deadline of its own, until every service answers ready; notes what it had to do for that. */
    boolean awaitHealthy(List<String> notes);

    boolean allHealthy();

    /** Each service's readiness, for a problem report. */
    String health();

    /** Checks the last fault left to run once the load stopped and every event is stored; none by default. */
    default List<Runnable> takeSettledChecks() {
        return List.of();
    }

    @Override
    void close();

    /** Whether the service at {@code base} answers its readiness probe with 200 within 2 s. */
    static boolean answersReady(HttpClient http, URI base) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
