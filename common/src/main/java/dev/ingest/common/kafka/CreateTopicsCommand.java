package dev.ingest.common.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the platform's topics ({@link Topics#SPECS}) that do not exist yet; existing ones are left as they are.
 *
 * <pre>
 *   java -cp ... dev.ingest.common.kafka.CreateTopicsCommand --bootstrap 127.0.0.1:9092 [--replication-factor 1]
 * </pre>
 */
public final class CreateTopicsCommand {
    private CreateTopicsCommand() {}

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = null;
        short replication = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--replication-factor" -> replication = Short.parseShort(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (bootstrap == null || args.length % 2 != 0) {
            usage("--bootstrap is required");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            List<String> created = create(admin, replication);
            System.out.println("kafka topics: " + Topics.SPECS.size() + " (" + created.size() + " created)");
        } catch (ExecutionException e) {
            System.err.println("could not create the topics: " + e.getCause());
            System.exit(1);
        }
    }

    /** Creates the missing topics; returns their names. */
    public static List<String> create(Admin admin, short replication) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (Topics.Spec spec : Topics.SPECS) {
            if (!existing.contains(spec.name())) {
                missing.add(new NewTopic(spec.name(), spec.partitions(), replication));
            }
        }
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(missing).values()
                .entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: CreateTopicsCommand --bootstrap HOST:PORT[,...] [--replication-factor N]");
        System.exit(2);
    }
}
