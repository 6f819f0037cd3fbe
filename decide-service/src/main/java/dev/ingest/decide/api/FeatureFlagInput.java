package dev.ingest.decide.api;

import dev.ingest.common.json.Json;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.store.FeatureFlagDraft;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates feature flag writes (PostHog's flag JSON; docs/posthog-compatibility.md#feature-flags). Errors
 * are 400s naming the field: {@code key}, {@code name}, {@code active}, {@code deleted},
 * {@code ensure_experience_continuity}, {@code evaluation_runtime}, {@code evaluation_contexts}, {@code filters}
 * (everything inside the filters, as PostHog names it) or {@code filters.payloads.<key>} (a payload that is not JSON).
 *
 * <p>Payloads are stored as strings holding JSON, as PostHog stores them: a string must parse as JSON, any other
 * value is stored as its JSON text (PostHog's serializer does the same).
 */
public final class FeatureFlagInput {
    /** PostHog's flag key rule. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+");
    static final int MAX_KEY_LENGTH = 400;
    static final int MAX_GROUP_TYPE_INDEX = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private FeatureFlagInput() {}

    static final int MAX_EVALUATION_CONTEXTS = 100;
    static final int MAX_EVALUATION_CONTEXT_LENGTH = 400;

    /**
     * A validated write, and the cohorts and flags its conditions refer to (the caller checks they are the
     * project's, and that the flag dependencies make no cycle).
     */
    public record Validated(FeatureFlagDraft draft, Set<Long> cohortIds, Set<Long> flagIds) {}

    /** {@code POST}: {@code key} required; {@code active} defaults to true, {@code filters} to no conditions. */
    public static Validated forCreate(ObjectNode body) {
        if (!body.hasNonNull("key")) {
            throw ApiException.invalid("key", "This field is required.");
        }
        String name = RequestJson.string(body, "name");
        Boolean active = RequestJson.bool(body, "active");
        Boolean deleted = RequestJson.bool(body, "deleted");
        Boolean continuity = RequestJson.bool(body, "ensure_experience_continuity");
        JsonNode filters = body.has("filters") ? filtersField(body) : defaultFilters();
        return validate(new FeatureFlagDraft(RequestJson.string(body, "key"), name == null ? "" : name, filters,
                active == null || active, deleted != null && deleted, continuity != null && continuity,
                runtime(body, "all"), contexts(body, List.of())));
    }

    /** {@code evaluation_runtime}: {@code all} (the default), {@code server} or {@code client}. */
    private static String runtime(ObjectNode body, String current) {
        if (!body.has("evaluation_runtime")) {
            return current;
        }
        JsonNode runtime = body.get("evaluation_runtime");
        if (runtime.isNull()) {
            return "all";
        }
        String value = runtime.isString() ? runtime.stringValue().strip().toLowerCase(Locale.ROOT) : "";
        if (!Set.of("all", "server", "client").contains(value)) {
            throw ApiException.invalid("evaluation_runtime", "\"" + PropertyTrees.abbreviate(runtime)
                    + "\" is not a valid choice: use \"all\", \"server\" or \"client\".");
        }
        return value;
    }

    /** {@code evaluation_contexts} (or its former name {@code evaluation_tags}): a list of environment names. */
    private static List<String> contexts(ObjectNode body, List<String> current) {
        String field = body.has("evaluation_contexts") ? "evaluation_contexts" : "evaluation_tags";
        if (!body.has(field)) {
            return current;
        }
        JsonNode contexts = body.get(field);
        if (contexts.isNull()) {
            return List.of();
        }
        if (!contexts.isArray() || contexts.size() > MAX_EVALUATION_CONTEXTS) {
            throw ApiException.invalid(field, "Expected a list of at most " + MAX_EVALUATION_CONTEXTS
                    + " environment names.");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode context : contexts) {
            if (!context.isString() || context.stringValue().isBlank()
                    || context.stringValue().length() > MAX_EVALUATION_CONTEXT_LENGTH) {
                throw ApiException.invalid(field, "Each environment must be a non-empty name of at most "
                        + MAX_EVALUATION_CONTEXT_LENGTH + " characters, not " + PropertyTrees.abbreviate(context) + ".");
            }
            names.add(context.stringValue().strip());
        }
        return List.copyOf(names);
    }

    /**
     * {@code PATCH}: the fields present replace the current ones. As in PostHog (a partial update validates only the
     * fields it sets), the stored key and filters are not re-checked when the body leaves them alone, so a flag can
     * always be switched off or deleted.
     */
    public static Validated forPatch(FeatureFlagDraft current, ObjectNode body) {
        String key = current.key();
        if (body.has("key")) {
            key = RequestJson.string(body, "key");
            if (key == null) {
                throw ApiException.invalid("key", "This field may not be null.");
            }
            checkKey(key);
        }
        String name = body.has("name") ? RequestJson.string(body, "name") : current.name();
        JsonNode filters = current.filters();
        References references = new References();
        if (body.has("filters")) {
            filters = filtersField(body);
            checkFilters(key, filters, references);
        }
        return new Validated(new FeatureFlagDraft(
                key,
                name == null ? "" : name,
                filters,
                orCurrent(RequestJson.bool(body, "active"), current.active()),
                orCurrent(RequestJson.bool(body, "deleted"), current.deleted()),
                orCurrent(RequestJson.bool(body, "ensure_experience_continuity"),
                        current.ensureExperienceContinuity()),
                runtime(body, current.evaluationRuntime()),
                contexts(body, current.evaluationContexts())), Set.copyOf(references.cohorts),
                Set.copyOf(references.flags));
    }

    /** Checks a whole flag. */
    public static Validated validate(FeatureFlagDraft draft) {
        checkKey(draft.key());
        References references = new References();
        checkFilters(draft.key(), draft.filters(), references);
        return new Validated(draft, Set.copyOf(references.cohorts), Set.copyOf(references.flags));
    }

    /** What a flag's conditions refer to. */
    private static final class References {
        final Set<Long> cohorts = new LinkedHashSet<>();
        final Set<Long> flags = new LinkedHashSet<>();
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw ApiException.invalid("key", "This field may not be blank.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ApiException.invalid("key", "Ensure this field has no more than " + MAX_KEY_LENGTH + " characters.");
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid("key", "Only letters, numbers, hyphens (\"-\") & underscores (\"_\") are allowed.");
        }
    }

    /** Checks {@code filters} (storing its payloads as strings); collects what its conditions refer to. */
    private static void checkFilters(String key, JsonNode filters, References references) {
        if (filters == null || !filters.isObject()) {
            throw ApiException.invalid("filters", "Filters must be an object.");
        }
        Set<String> variants = variants(filters.get("multivariate"));
        conditions(filters, "groups", variants, references);
        conditions(filters, "super_groups", null, references);
        conditions(filters, "holdout_groups", null, references);
        JsonNode payloads = payloads(filters.get("payloads"), variants);
        if (payloads != null) {
            ((ObjectNode) filters).set("payloads", payloads);
        }
        JsonNode groupType = filters.get("aggregation_group_type_index");
        if (groupType != null && !groupType.isNull() && !(groupType.isIntegralNumber() && groupType.canConvertToInt()
                && groupType.intValue() >= 0 && groupType.intValue() <= MAX_GROUP_TYPE_INDEX)) {
            throw ApiException.invalid("filters", "aggregation_group_type_index must be null or a group type index"
                    + " from 0 to " + MAX_GROUP_TYPE_INDEX + ".");
        }
        // Last, the reader decide evaluates with: whatever it cannot read must not be stored.
        ObjectNode definition = Json.object();
        definition.put("key", key);
        definition.set("filters", filters);
        try {
            FeatureFlag.fromJson(definition);
        } catch (RuntimeException unreadable) {
            throw ApiException.invalid("filters", "Invalid filters: " + PropertyTrees.abbreviate(unreadable.getMessage(), 300));
        }
    }

    /** {@code filters.multivariate}: the variant keys (empty for a boolean flag). */
    private static Set<String> variants(JsonNode multivariate) {
        if (multivariate == null || multivariate.isNull()) {
            return Set.of();
        }
        if (!multivariate.isObject() || !multivariate.path("variants").isArray()) {
            throw ApiException.invalid("filters", "multivariate must be null or {\"variants\": [...]}.");
        }
        Set<String> keys = new LinkedHashSet<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode variant : multivariate.get("variants")) {
            if (!variant.isObject()) {
                throw ApiException.invalid("filters", "Every variant must be an object.");
            }
            JsonNode key = variant.get("key");
            if (key == null || !key.isString() || key.stringValue().isEmpty()) {
                throw ApiException.invalid("filters", "Every variant needs a key.");
            }
            if (!keys.add(key.stringValue())) {
                throw ApiException.invalid("filters", "Variant keys must be unique: \"" + key.stringValue()
                        + "\" appears twice.");
            }
            JsonNode name = variant.get("name");
            if (name != null && !name.isNull() && !name.isString()) {
                throw ApiException.invalid("filters", "A variant's name must be a string.");
            }
            BigDecimal percentage = percentage(variant.get("rollout_percentage"), "variant " + key.stringValue());
            if (percentage == null) {
                throw ApiException.invalid("filters", "Variant " + key.stringValue() + " needs a rollout_percentage.");
            }
            sum = sum.add(percentage);
        }
        if (keys.isEmpty()) {
            throw ApiException.invalid("filters", "A multivariate flag needs at least one variant.");
        }
        if (sum.compareTo(HUNDRED) != 0) {
            throw ApiException.invalid("filters", "Invalid variant definitions: Variant rollout percentages must sum to"
                    + " 100 (they sum to " + sum.stripTrailingZeros().toPlainString() + ").");
        }
        return keys;
    }

    /** {@code groups}, {@code super_groups}, {@code holdout_groups}; variant overrides only in {@code groups}. */
    private static void conditions(JsonNode filters, String field, Set<String> variants, References references) {
        JsonNode groups = filters.get(field);
        if (groups == null || groups.isNull()) {
            return;
        }
        if (!groups.isArray()) {
            throw ApiException.invalid("filters", field + " must be a list of conditions.");
        }
        int index = 0;
        for (JsonNode condition : groups) {
            index++;
            if (!condition.isObject()) {
                throw ApiException.invalid("filters", field + " must be a list of condition objects.");
            }
            percentage(condition.get("rollout_percentage"), field + " condition " + index);
            PropertyTrees.check(condition.get("properties"), "filters", references.cohorts, references.flags);
            JsonNode variant = condition.get("variant");
            if (variants != null && variant != null && !variant.isNull()
                    && !(variant.isString() && (variant.stringValue().isEmpty()
                            || variants.contains(variant.stringValue())))) {
                throw ApiException.invalid("filters", "Filters are not valid (variant override does not exist): "
                        + PropertyTrees.abbreviate(variant) + " is not a variant key.");
            }
        }
    }

    /**
     * {@code filters.payloads}: keyed by "true" or a variant key; each value a string that parses as JSON, or any
     * other JSON value, which is stored as its JSON text. Returns the payloads to store, or null when there are none.
     */
    private static ObjectNode payloads(JsonNode payloads, Set<String> variants) {
        if (payloads == null || payloads.isNull()) {
            return null;
        }
        if (!payloads.isObject()) {
            throw ApiException.invalid("filters", "Payloads must be an object keyed by \"true\" or a variant key.");
        }
        ObjectNode stored = Json.object();
        for (Map.Entry<String, JsonNode> payload : payloads.properties()) {
            if (!payload.getKey().equals("true") && !variants.contains(payload.getKey())) {
                throw ApiException.invalid("filters", "Payload keys must be \"true\" or a variant key, not \""
                        + payload.getKey() + "\".");
            }
            JsonNode value = payload.getValue();
            if (value.isString()) {
                if (!isJson(value.stringValue())) {
                    throw ApiException.invalid("filters.payloads." + payload.getKey(), "Payload value is not valid JSON:"
                            + " a payload is a string holding JSON (for text, a JSON string such as \"\\\"hello\\\"\").");
                }
                stored.put(payload.getKey(), value.stringValue());
            } else {
                stored.put(payload.getKey(), Json.write(value));
            }
        }
        return stored;
    }

    /** Whether the text is one JSON value, blanks around it allowed. */
    static boolean isJson(String text) {
        try {
            JsonNode parsed = Json.read(text);
            return parsed != null && !parsed.isMissingNode();
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** A rollout percentage: null, or a number (or numeric string) from 0 to 100. */
    private static BigDecimal percentage(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal value = null;
        if (node.isNumber()) {
            // 1e999 reads as an infinite double, which has no BigDecimal: it is out of range, not a server error.
            value = node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) ? null : node.decimalValue();
        } else if (node.isString()) {
            try {
                value = new BigDecimal(node.stringValue().strip());
            } catch (NumberFormatException notNumeric) {
                value = null;
            }
        }
        if (value == null || value.compareTo(BigDecimal.ZERO) < 0 || value.compareTo(HUNDRED) > 0) {
            throw ApiException.invalid("filters", "Invalid rollout_percentage for " + where + ": "
                    + PropertyTrees.abbreviate(node) + " is not a number from 0 to 100.");
        }
        return value;
    }

    private static JsonNode filtersField(ObjectNode body) {
        JsonNode filters = body.get("filters");
        if (filters == null || !filters.isObject()) {
            throw ApiException.invalid("filters", "Filters must be an object.");
        }
        return filters;
    }

    private static JsonNode defaultFilters() {
        ObjectNode filters = Json.object();
        filters.putArray("groups");
        return filters;
    }

    private static boolean orCurrent(Boolean value, boolean current) {
        return value == null ? current : value;
    }
}
