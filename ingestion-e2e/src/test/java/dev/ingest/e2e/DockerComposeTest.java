package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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


    // ---------------------------------------------------------------------------------- the cluster overlay

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cluster(String name) throws IOException {
        Map<String, Object> overlay = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.cluster.yml")));
        return (Map<String, Object>) ((Map<String, Object>) overlay.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> clusterEnvironment(String name) throws IOException {
        return (Map<String, Object>) cluster(name).get("environment");
    }

    /** A number the local cluster's broker settings give (stack/lib.sh's server.properties). */
    private static String localSetting(String key) throws IOException {
        Matcher matcher = Pattern.compile(Pattern.quote(key) + "=(\\d+)").matcher(Files.readString(ROOT.resolve("stack/lib.sh")));
        assertThat(matcher.find()).as("stack/lib.sh sets " + key).isTrue();
        return matcher.group(1);
    }

    private static final List<String> BROKERS = List.of("kafka", "kafka2", "kafka3");

    @Test
    void theClusterOverlayRunsThreeBrokersWithTheLocalClustersSettings() throws IOException {
        Set<String> nodeIds = new TreeSet<>();
        Set<String> clusterIds = new TreeSet<>();
        for (String broker : BROKERS) {
            Map<String, Object> env = clusterEnvironment(broker);
            nodeIds.add(String.valueOf(env.get("KAFKA_NODE_ID")));
            clusterIds.add(String.valueOf(env.get("CLUSTER_ID")));
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + broker + ":9092");
            assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))).isEqualTo("1@kafka:9093,2@kafka2:9093,3@kafka3:9093");
            assertThat(String.valueOf(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR"))).isEqualTo("3");
            assertThat(String.valueOf(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"))).isEqualTo("3");
            assertThat(String.valueOf(env.get("KAFKA_MIN_INSYNC_REPLICAS"))).isEqualTo("2");
            assertThat(String.valueOf(env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"))).isEqualTo("false");
            for (String key : List.of("broker.heartbeat.interval.ms", "broker.session.timeout.ms", "replica.lag.time.max.ms")) {
                String variable = "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
                assertThat(String.valueOf(env.get(variable))).as(broker + " " + variable).isEqualTo(localSetting(key));
            }
        }
        assertThat(nodeIds).containsExactly("1", "2", "3");
        assertThat(clusterIds).as("one cluster id for every broker").hasSize(1);
        assertThat(Files.readString(ROOT.resolve("stack/lib.sh"))).contains("min_isr=2");
        assertThat(String.valueOf(cluster("kafka-init").get("command")))
                .contains("kafka:9092,kafka2:9092,kafka3:9092").contains("--replication-factor, 3");
    }

    @Test
    void theClusterOverlayHasTwoShardsOfTwoReplicasLikeTheLocalCluster() throws IOException {
        String clusterXml = Files.readString(ROOT.resolve("deploy/cluster/cluster.xml"));
        String posthog = clusterXml.substring(clusterXml.indexOf("<posthog>"), clusterXml.indexOf("</posthog>"));
        List<List<String>> shards = Pattern.compile("(?s)<shard>(.*?)</shard>").matcher(posthog).results()
                .map(shard -> Pattern.compile("<host>(\\w+)</host>").matcher(shard.group(1)).results().map(h -> h.group(1)).toList())
                .toList();
        // As stack/lib.sh's ch_shard: odd nodes form shard 1, even nodes shard 2.
        assertThat(shards).containsExactly(List.of("clickhouse1", "clickhouse3"), List.of("clickhouse2", "clickhouse4"));
        assertThat(clusterXml).contains("<internal_replication>true</internal_replication>");
        Set<String> replicas = new TreeSet<>();
        for (int n = 1; n <= 4; n++) {
            String server = "clickhouse" + n;
            assertThat(String.valueOf(cluster(server).get("volumes"))).contains("./deploy/cluster/cluster.xml:")
                    .contains("./deploy/cluster/macros-" + n + ".xml:");
            String macros = Files.readString(ROOT.resolve("deploy/cluster/macros-" + n + ".xml"));
            assertThat(macros).as(server).contains("<shard>0" + (n % 2 == 1 ? 1 : 2) + "</shard>");
            replicas.add(macros.replaceAll("(?s).*<replica>(\\w+)</replica>.*", "$1").strip());
        }
        assertThat(replicas).as("a replica name per server").hasSize(4);
        for (String keeper : List.of("keeper", "keeper2", "keeper3")) {
            assertThat(clusterXml).contains("<host>" + keeper + "</host><port>9181</port>");
        }
        for (int id = 1; id <= 3; id++) {
            String keeperXml = Files.readString(ROOT.resolve("deploy/cluster/keeper-" + id + ".xml"));
            assertThat(keeperXml).contains("<server_id>" + id + "</server_id>").contains("<hostname>keeper3</hostname>");
        }
        assertThat(String.valueOf(cluster("clickhouse-init").get("command")))
                .contains("http://clickhouse1:8123,http://clickhouse2:8123,http://clickhouse3:8123,http://clickhouse4:8123");
    }

    @Test
    void theClusterOverlayRunsTwoInstancesOfEachServiceOnEveryBrokerAndServer() throws IOException {
        for (String service : List.of("capture-service", "plugin-service", "decide-service")) {
            for (String instance : List.of(service, service + "-2")) {
                Map<String, Object> env = clusterEnvironment(instance);
                assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(instance).isEqualTo("kafka:9092,kafka2:9092,kafka3:9092");
                assertThat(String.valueOf(env.get("CLICKHOUSE_URLS")).split(",")).as(instance).hasSize(4);
            }
            assertThat(String.valueOf(cluster(service + "-2").get("extends")))
                    .as("the second instance is the first one's definition").contains("service=" + service);
        }
        String proxy = Files.readString(ROOT.resolve("deploy/cluster/nginx.conf"));
        assertThat(routes(proxy)).isEqualTo(routes(Files.readString(ROOT.resolve("stack/services.sh"))));
        String localProxy = Files.readString(ROOT.resolve("stack/services.sh"));
        Matcher failTimeout = Pattern.compile("(?m)^PROXY_FAIL_TIMEOUT=(\\d+)$").matcher(localProxy);
        assertThat(failTimeout.find()).as("stack/services.sh sets PROXY_FAIL_TIMEOUT").isTrue();
        assertThat(localProxy).contains("max_fails=1 fail_timeout=%ss").contains("proxy_next_upstream_tries 3;");
        for (String instance : List.of("capture-service:8010", "capture-service-2:8010", "decide-service:8011",
                "decide-service-2:8011")) {
            assertThat(proxy).contains("server " + instance + " max_fails=1 fail_timeout=" + failTimeout.group(1) + "s;");
        }
        assertThat(proxy).contains("proxy_next_upstream error timeout non_idempotent;").contains("proxy_next_upstream_tries 3;");
        assertThat(String.valueOf(cluster("proxy").get("volumes"))).contains("./deploy/cluster/nginx.conf:");
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
