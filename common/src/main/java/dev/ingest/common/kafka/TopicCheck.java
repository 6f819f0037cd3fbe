package dev.ingest.common.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Startup check: the topics a service reads or writes must exist (the platform creates them; nothing auto-creates). */
public final class TopicCheck {
    private TopicCheck() {}

    public static void requireTopics(Collection<String> bootstrapServers, Collection<String> topics) {
        requireTopics(String.join(",", bootstrapServers), topics);
    }

    public static void requireTopics(String bootstrapServers, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            Set<String> missing = new TreeSet<>(topics);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Kafka topics missing on " + bootstrapServers + ": " + missing
                        + ". Create them (./platform up does) before starting the service.");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to check topics " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topics", e);
        }
    }
}
