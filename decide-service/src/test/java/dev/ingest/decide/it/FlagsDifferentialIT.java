package dev.ingest.decide.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.NodeScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A differential test against the real SDK: a seeded random corpus of flags over every property operator, evaluated
 * for many people by posthog-node's local evaluation and by {@code /flags?v=2} with the same person properties. Wherever
 * the SDK gives an answer and the case is not in a known divergence ({@link KnownDivergences}), the two must agree.
 * The seed is printed (and can be set with {@code -Dflags.differential.seed=}); the counts, by skip reason, are written to
 * {@code target/flags-differential.md}.
 */
class FlagsDifferentialIT {
    private static final int FLAGS = 160;
    private static final int PEOPLE = 60;
    /** Enough compared answers that the test cannot pass by comparing nothing. */
    private static final int MIN_COMPARED = 1_500;

    @Test
    void posthogNodeAndTheServiceAgreeWhereverTheSdkDecides() throws Exception {
        long seed = Long.getLong("flags.differential.seed", 20261202L);
        FlagCorpus corpus = new FlagCorpus(seed);
        TestingDecide decide = TestingDecide.get();
        TestingDecide.Project project = decide.createProject();
        Map<String, JsonNode> flags = new TreeMap<>();
        for (int i = 0; i < FLAGS; i++) {
            String key = "diff-" + i;
            ObjectNode filters = corpus.filters();
            decide.createFlag(project.id(), key, Json.write(filters), false);
            flags.put(key, filters);
        }
        List<ObjectNode> people = new ArrayList<>();
        ObjectNode input = Json.object();
        ArrayNode keys = input.putArray("flags");
        flags.keySet().forEach(keys::add);
        ArrayNode cases = input.putArray("cases");
        for (int i = 0; i < PEOPLE; i++) {
            ObjectNode person = corpus.person();
            people.add(person);
            cases.addObject().put("distinctId", "diff-" + seed + "-" + i).set("personProperties", person);
        }
        Path inputFile = Files.createTempFile("flags-differential-", ".json");
        Files.writeString(inputFile, Json.write(input));
        String host = decide.url("").toString().replaceAll("/$", "");
        JsonNode sdk = Json.read(NodeScripts.run("node-local-matrix.cjs", host, project.token(), TestingDecide.BOOTSTRAP_KEY,
                inputFile));

        int compared = 0;
        int undecided = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            String distinctId = "diff-" + seed + "-" + i;
            ObjectNode person = people.get(i);
            ObjectNode body = Json.object().put("token", project.token()).put("distinct_id", distinctId);
            body.set("person_properties", person);
            JsonNode server = Json.read(decide.postJson("/flags/?v=2", Json.write(body)).body()).get("flags");
            for (Map.Entry<String, JsonNode> flag : flags.entrySet()) {
                JsonNode local = sdk.get(i).get(flag.getKey());
                if (local == null || local.isNull()) {
                    undecided++;
                    continue;
                }
                Optional<String> divergence = FlagCorpus.filtersOf(flag.getValue()).stream()
                        .map(filter -> KnownDivergences.of(filter, person))
                        .flatMap(Optional::stream).findFirst();
                if (divergence.isPresent()) {
                    skipped.merge(divergence.get(), 1, Integer::sum);
                    continue;
                }
                compared++;
                JsonNode detail = server.get(flag.getKey());
                JsonNode value = detail.get("enabled").asBoolean()
                        ? (detail.get("variant").isNull() ? Json.MAPPER.getNodeFactory().booleanNode(true) : detail.get("variant"))
                        : Json.MAPPER.getNodeFactory().booleanNode(false);
                if (!value.equals(local)) {
                    disagreements.add(flag.getKey() + " for " + person + ": SDK " + local + ", service " + value
                            + " (" + detail.get("reason") + ") filters " + flag.getValue());
                }
            }
        }
        StringBuilder report = new StringBuilder("# Flags: posthog-node local evaluation vs /flags\n\n")
                .append("- seed ").append(seed).append(", ").append(FLAGS).append(" flags x ").append(PEOPLE).append(" people\n")
                .append("- compared: ").append(compared).append(", agreed: ").append(compared - disagreements.size())
                .append("\n- the SDK declined to decide (would ask the server): ").append(undecided).append('\n');
        skipped.forEach((reason, count) -> report.append("- skipped, known divergence (").append(count).append("): ")
                .append(reason).append('\n'));
        disagreements.stream().limit(30).forEach(d -> report.append("- DISAGREES: ").append(d).append('\n'));
        System.out.println(report);
        Path results = Path.of("target", "flags-differential.md");
        Files.writeString(results, report.toString());

        assertThat(disagreements).as("disagreements (seed %d)", seed).isEmpty();
        assertThat(compared).as("answers compared").isGreaterThanOrEqualTo(MIN_COMPARED);
    }
}
