package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the compose file is tested as a file: it must describe the same platform as the
 * local stack (services, topics, configuration names, proxy routes, ClickHouse cluster) so the two never drift.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Set<String> REQUIRED_SERVICES = Set.of("kafka", "kafka-init", "postgres", "keeper",
            "clickhouse1", "clickhouse2", "clickhouse-init", "capture-service", "plugin-service", "decide-service", "proxy");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    @Test
    void declaresEveryPartOfThePlatform() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services.keySet()).containsAll(REQUIRED_SERVICES);
        for (String name : List.of("capture-service", "plugin-service", "decide-service", "clickhouse-init")) {
            assertThat(service(name)).as(name + " is built from this repository").containsKey("build");
        }
        assertThat(String.valueOf(service("kafka").get("environment"))).contains("KAFKA_PROCESS_ROLES=broker,controller");
    }

    @Test
    void createsTheTopicsFromTheirOneDefinitionLikeTheLocalStack() throws IOException {
        Map<String, Object> init = service("kafka-init");
        assertThat(init).as("built from this repository, so it carries the topic list").containsKey("build");
        assertThat(String.valueOf(init.get("entrypoint"))).contains("dev.ingest.common.kafka.CreateTopicsCommand");
        assertThat(String.valueOf(init.get("command"))).contains("--bootstrap, kafka:9092");
        assertThat(Files.readString(ROOT.resolve("stack/lib.sh"))).contains("dev.ingest.common.kafka.CreateTopicsCommand")
                .doesNotContain("--partitions");
    }

    @Test
    void givesTheServicesEveryConfigurationNameTheyReadAndTheLocalStackWrites() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> shared = (Map<String, Object>) compose().get("x-service-env");
        Set<String> localNames = Pattern.compile("(?m)^([A-Z_]+)=").matcher(
                        Files.readString(ROOT.resolve("stack/lib.sh"))).results().map(r -> r.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String name : shared.keySet()) {
            assertThat(localNames).as("stack.env of the local stack").contains(name);
        }
        for (String service : List.of("capture-service", "plugin-service", "decide-service")) {
            String yml = Files.readString(ROOT.resolve(service + "/src/main/resources/" + service + ".yml"));
            Set<String> placeholders = Pattern.compile("\\$\\{([A-Z_]+):").matcher(yml).results()
                    .map(r -> r.group(1)).collect(Collectors.toCollection(TreeSet::new));
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) service(service).get("environment");
            for (String placeholder : placeholders) {
                boolean portVariable = placeholder.endsWith("_PORT");
                assertThat(portVariable || environment.containsKey(placeholder) || shared.containsKey(placeholder))
                        .as("%s reads %s; compose must set it", service, placeholder).isTrue();
            }
            assertThat(environment).containsKey("SERVER_PORT");
        }
    }

    @Test
    void routesThePublicAddressLikeTheLocalProxy() throws IOException {
        String composeProxy = Files.readString(ROOT.resolve("deploy/nginx/nginx.conf"));
        String localProxy = Files.readString(ROOT.resolve("stack/services.sh"));
        Map<String, String> composeRoutes = routes(composeProxy);
        assertThat(composeRoutes).isEqualTo(routes(localProxy));
        assertThat(composeRoutes).containsEntry("/decide", "decide").containsEntry("/flags", "decide")
                .containsEntry("/array/", "decide").containsEntry("/api/", "decide").containsEntry("/", "capture");
        for (String service : List.of("capture-service", "decide-service")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) service(service).get("environment");
            assertThat(composeProxy).contains("server " + service + ":" + environment.get("SERVER_PORT"));
        }
    }

    @Test
    void namesTheSameClickHouseClusterEverywhere() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> shared = (Map<String, Object>) compose().get("x-service-env");
        String cluster = String.valueOf(shared.get("CLICKHOUSE_CLUSTER"));
        assertThat(Files.readString(ROOT.resolve("deploy/clickhouse/cluster.xml"))).contains("<" + cluster + ">");
        assertThat(Files.readString(ROOT.resolve("stack/lib.sh"))).contains("CH_CLUSTER=" + cluster);
        assertThat(String.valueOf(service("clickhouse-init").get("command"))).contains("--cluster, " + cluster);
    }


    private static Map<String, String> routes(String nginxConfig) {
        Map<String, String> routes = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("location (\\S+) \\{ proxy_pass http://(\\w+); }").matcher(nginxConfig);
        while (matcher.find()) {
            routes.put(matcher.group(1), matcher.group(2));
        }
        return routes;
    }
}
