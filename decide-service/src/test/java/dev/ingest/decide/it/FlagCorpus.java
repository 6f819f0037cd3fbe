package dev.ingest.decide.it;

import dev.ingest.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A seeded random corpus of flags over every property operator, and of people to evaluate them for: the same seed
 * gives the same corpus. Values are drawn from pools that hit each operator's edges (case, numeric-looking text, null,
 * versions, dates, patterns).
 */
final class FlagCorpus {
    static final List<String> KEYS = List.of("plan", "email", "age", "version", "signed_up", "beta");

    private static final List<String> OPERATORS = List.of("exact", "is_not", "is_set", "is_not_set", "icontains",
            "not_icontains", "starts_with", "not_starts_with", "ends_with", "not_ends_with", "regex", "not_regex", "gt",
            "gte", "lt", "lte", "is_date_before", "is_date_after", "semver_eq", "semver_neq", "semver_gt", "semver_gte",
            "semver_lt", "semver_lte", "semver_tilde", "semver_caret", "semver_wildcard");

    /** Property values (JSON) a person may have. */
    private static final List<String> PROPERTY_VALUES = List.of("\"pro\"", "\"Pro\"", "\"free\"", "\"\"", "\"null\"",
            "\"true\"", "\"True\"", "\"false\"", "\"9\"", "\"10\"", "\"1.5\"", "\"1e3\"", "\"abc\"", "\"user42\"",
            "\"USER42\"", "\"fr\"", "\"FR\"", "\"a@x.com\"", "\"B@X.COM\"", "\"1.2.3\"", "\"v1.2.3\"", "\"1.10.0\"",
            "\"1.2\"", "\"2.0.0\"", "\"0.9.1\"", "\"2024-05-01\"", "\"2024-07-01T10:00:00Z\"", "\"été\"", "\"ÉTÉ\"",
            "0", "1", "9", "10", "10.5", "-3", "1.5", "true", "false", "null", "[\"pro\"]", "{\"a\": 1}");

    private static final List<String> STRING_FILTERS = List.of("\"pro\"", "\"PRO\"", "\"@x.com\"", "\"user\"", "\"1\"",
            "\"true\"", "\"null\"", "\"\"", "\"é\"", "\"É\"", "\"1.2\"");
    private static final List<String> EXACT_FILTERS = List.of("\"pro\"", "\"PRO\"", "[\"pro\", \"free\"]", "true",
            "false", "\"true\"", "\"False\"", "[\"true\"]", "[]", "\"9\"", "\"1.5\"", "1.5", "\"null\"", "\"été\"",
            "\"ÉTÉ\"");
    private static final List<String> REGEX_FILTERS = List.of("\"^user[0-9]+$\"", "\"^[A-Z]{2}$\"", "\"^[a-z]{2}$\"",
            "\"ser\"", "\"^(a+)+$\"", "\"[\"", "\"^4[0-9]$\"", "\".*\"", "\"^\\\\d+$\"", "\"x|pro\"");
    private static final List<String> NUMBER_FILTERS = List.of("10", "9", "\"10\"", "1.5", "0", "-3", "\"abc\"", "\"1e3\"");
    private static final List<String> DATE_FILTERS = List.of("\"2024-06-01\"", "\"2024-06-01T00:00:00Z\"", "\"-30d\"",
            "\"-1y\"", "\"2030-01-01\"");
    private static final List<String> VERSION_FILTERS = List.of("\"1.2.3\"", "\"1.2\"", "\"1\"", "\"0.9.0\"", "\"2.0.0\"",
            "\"1.10.0\"", "\"v1.2.3\"");
    private static final List<String> WILDCARD_FILTERS = List.of("\"1.*\"", "\"1.2.*\"", "\"*\"", "\"2.*\"", "\"0.*\"");

    private final Random random;

    FlagCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** A flag's filters: one to three conditions of one or two filters each, some rollouts and variants. */
    ObjectNode filters() {
        ObjectNode filters = Json.object();
        ArrayNode groups = filters.putArray("groups");
        boolean multivariate = random.nextInt(4) == 0;
        int conditions = 1 + random.nextInt(3);
        for (int i = 0; i < conditions; i++) {
            ObjectNode condition = groups.addObject();
            ArrayNode properties = condition.putArray("properties");
            int count = 1 + random.nextInt(2);
            for (int j = 0; j < count; j++) {
                properties.add(filter());
            }
            switch (random.nextInt(4)) {
                case 0 -> condition.putNull("rollout_percentage");
                case 1 -> condition.put("rollout_percentage", 100);
                case 2 -> condition.put("rollout_percentage", 50);
                default -> condition.put("rollout_percentage", 0);
            }
            if (multivariate && random.nextInt(3) == 0) {
                condition.put("variant", random.nextBoolean() ? "red" : "blue");
            }
        }
        if (multivariate) {
            ArrayNode variants = filters.putObject("multivariate").putArray("variants");
            variants.addObject().put("key", "red").put("rollout_percentage", 60);
            variants.addObject().put("key", "blue").put("rollout_percentage", 40);
        }
        return filters;
    }

    private ObjectNode filter() {
        String operator = pick(OPERATORS);
        ObjectNode filter = Json.object();
        filter.put("key", pick(KEYS));
        filter.put("type", "person");
        filter.put("operator", operator);
        filter.set("value", Json.read(value(operator)));
        return filter;
    }

    private String value(String operator) {
        return switch (operator) {
            case "exact", "is_not" -> pick(EXACT_FILTERS);
            case "is_set", "is_not_set" -> "\"is_set\"";
            case "regex", "not_regex" -> pick(REGEX_FILTERS);
            case "gt", "gte", "lt", "lte" -> pick(NUMBER_FILTERS);
            case "is_date_before", "is_date_after" -> pick(DATE_FILTERS);
            case "semver_wildcard" -> pick(WILDCARD_FILTERS);
            default -> operator.startsWith("semver") ? pick(VERSION_FILTERS) : pick(STRING_FILTERS);
        };
    }

    /** A person's properties: each key present (with a value from the pool) or absent. */
    ObjectNode person() {
        ObjectNode properties = Json.object();
        for (String key : KEYS) {
            if (random.nextInt(5) > 0) {
                properties.set(key, Json.read(pick(PROPERTY_VALUES)));
            }
        }
        return properties;
    }

    /** Every filter of a flag's filters, for the divergence checks. */
    static List<JsonNode> filtersOf(JsonNode filters) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode condition : filters.path("groups")) {
            condition.path("properties").forEach(all::add);
        }
        return all;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
