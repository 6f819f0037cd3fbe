package dev.ingest.decide.api;

import dev.ingest.decide.flags.FlagDependencies;
import dev.ingest.decide.flags.Operator;
import dev.ingest.decide.flags.PropertyType;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks property trees (flag condition {@code properties}, cohort {@code filters.properties}) beyond what the
 * lenient readers of {@code dev.ingest.decide.flags} refuse: an unknown operator or group type would be stored and then
 * silently never match (or match as AND), so they are 400s here. Collects the cohorts the tree refers to, so the caller
 * can check that they are the project's.
 */
final class PropertyTrees {
    private PropertyTrees() {}

    /** A list of filters/groups, or a single group object; adds referenced cohort ids to {@code cohorts}. */
    static void check(JsonNode node, String attr, Set<Long> cohorts) {
        check(node, attr, cohorts, new HashSet<>());
    }

    /** The same, adding the flags that {@code type: flag} filters depend on to {@code flags}. */
    static void check(JsonNode node, String attr, Set<Long> cohorts, Set<Long> flags) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                checkCondition(item, attr, cohorts, flags);
            }
        } else if (node.isObject()) {
            checkCondition(node, attr, cohorts, flags);
        } else {
            throw ApiException.invalid(attr, "Properties must be a list of property filters or a property group.");
        }
    }

    private static void checkCondition(JsonNode node, String attr, Set<Long> cohorts, Set<Long> flags) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw ApiException.invalid(attr, "A property filter must be an object: " + abbreviate(node));
        }
        if (node.has("values") && !node.has("key")) {
            JsonNode type = node.get("type");
            if (type != null && !type.isNull() && !(type.isString()
                    && Set.of("AND", "OR").contains(type.stringValue().toUpperCase(Locale.ROOT)))) {
                throw ApiException.invalid(attr, "A property group's type must be \"AND\" or \"OR\", not "
                        + abbreviate(type) + ".");
            }
            JsonNode values = node.get("values");
            if (!values.isArray()) {
                throw ApiException.invalid(attr, "A property group's values must be a list.");
            }
            for (JsonNode value : values) {
                checkCondition(value, attr, cohorts, flags);
            }
            return;
        }
        JsonNode key = node.get("key");
        if (key == null || key.isNull() || key.isContainer()) {
            throw ApiException.invalid(attr, "A property filter needs a key: " + abbreviate(node));
        }
        JsonNode operator = node.get("operator");
        if (operator != null && !operator.isNull()
                && (!operator.isString() || Operator.fromWire(operator.stringValue()) == Operator.UNSUPPORTED)) {
            throw ApiException.invalid(attr, "Unknown property operator " + abbreviate(operator) + ".");
        }
        JsonNode type = node.get("type");
        if (type != null && type.isString() && PropertyType.fromWire(type.stringValue()) == PropertyType.COHORT) {
            cohorts.add(cohortId(node.get("value"), attr));
        }
        if (type != null && type.isString() && PropertyType.fromWire(type.stringValue()) == PropertyType.FLAG) {
            flags.add(flagDependency(node, attr));
        }
    }

    /**
     * A flag dependency, as PostHog stores one: the key is the id of a flag of the project, the operator
     * {@code flag_evaluates_to}, the value {@code true}, {@code false} or a variant key.
     */
    private static long flagDependency(JsonNode node, String attr) {
        Optional<Long> id = node.get("key").isIntegralNumber() && node.get("key").canConvertToLong()
                ? Optional.of(node.get("key").longValue())
                : node.get("key").isString() ? FlagDependencies.id(node.get("key").stringValue()) : Optional.empty();
        if (id.isEmpty() || id.get() <= 0) {
            throw ApiException.invalid(attr, "A flag dependency's key must be the id of a feature flag, not "
                    + abbreviate(node.get("key")) + ".");
        }
        JsonNode operator = node.get("operator");
        if (operator == null || !operator.isString() || Operator.fromWire(operator.stringValue()) != Operator.FLAG_EVALUATES_TO) {
            throw ApiException.invalid(attr, "A flag dependency's operator must be \"flag_evaluates_to\".");
        }
        JsonNode value = node.get("value");
        if (value == null || !(value.isBoolean() || (value.isString() && !value.stringValue().isEmpty()))) {
            throw ApiException.invalid(attr, "A flag dependency's value must be true, false or a variant key.");
        }
        return id.get();
    }

    private static long cohortId(JsonNode value, String attr) {
        if (value != null && value.isIntegralNumber() && value.canConvertToLong() && value.longValue() > 0) {
            return value.longValue();
        }
        if (value != null && value.isString() && value.stringValue().strip().matches("[1-9]\\d{0,17}")) {
            return Long.parseLong(value.stringValue().strip());
        }
        throw ApiException.invalid(attr, "A cohort filter's value must be a cohort id, not "
                + (value == null ? "nothing" : abbreviate(value)) + ".");
    }

    /** Ids in {@code referenced} that are not keys of {@code found}, for the 400 message. */
    static void requireCohorts(Set<Long> referenced, Map<Long, ?> found, String attr) {
        for (long id : referenced) {
            if (!found.containsKey(id)) {
                throw ApiException.invalid(attr, "Cohort with id " + id + " does not exist in this project.");
            }
        }
    }

    static String abbreviate(JsonNode node) {
        return abbreviate(node.toString(), 100);
    }

    static String abbreviate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length) + "...";
    }
}
