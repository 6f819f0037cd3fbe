package dev.ingest.clickhouse.schema;

import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line face of {@link ClickHouseMigrator}; {@code ./platform up} runs it.
 *
 * <pre>
 * java -cp ... dev.ingest.clickhouse.schema.MigrateCommand --nodes http://127.0.0.1:8123,http://127.0.0.1:8124 \
 *     --database posthog --cluster posthog --replicated true --kafka 127.0.0.1:9092
 * </pre>
 */
public final class MigrateCommand {
    private MigrateCommand() {}

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            usage("every option needs a value");
        }
        List<URI> nodes = Arrays.stream(required(options, "nodes").split(",")).map(String::trim).map(URI::create).toList();
        Topology topology = new Topology(nodes, options.getOrDefault("database", "posthog"),
                options.getOrDefault("cluster", "posthog"), Boolean.parseBoolean(options.getOrDefault("replicated", "true")),
                required(options, "kafka"));
        try {
            ClickHouseMigrator.withBundledMigrations(topology, System.out::println).migrate();
        } catch (RuntimeException e) {
            System.err.println("ClickHouse migration failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("--" + name + " is required");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: MigrateCommand --nodes URL[,URL...] --kafka HOST:PORT[,...]"
                + " [--database posthog] [--cluster posthog] [--replicated true|false]");
        System.exit(2);
    }
}
