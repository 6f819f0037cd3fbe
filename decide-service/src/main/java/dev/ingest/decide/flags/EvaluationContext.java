package dev.ingest.decide.flags;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.StringNode;

/**
 * Everything one person's flag evaluation may look at. The caller assembles the properties (database values merged
 * with request overrides, {@code distinct_id} included if wanted); the engine only reads them.
 *
 * @param deviceId {@code $device_id}, for flags bucketed by device; may be null
 * @param groups group type name to group key ({@code {"company": "acme"}})
 * @param groupProperties group type name to that group's properties; {@code $group_key} is added when absent
 * @param groupTypeMapping group type index to group type name
 * @param hashKeyOverrides flag key to the hash key stored for experience continuity 
 * @param clock "now" for relative dates; its zone is the time zone of naive dates (the team time zone)
 */
public record EvaluationContext(
        String distinctId,
        String deviceId,
        Map<String, JsonNode> personProperties,
        Map<String, String> groups,
        Map<String, Map<String, JsonNode>> groupProperties,
        Map<Integer, String> groupTypeMapping,
        Map<String, String> hashKeyOverrides,
        CohortResolver cohorts,
        Clock clock) {

    /**
     * The key the person's {@code created_at} (ISO-8601) is stored under in the person properties, for
     * {@code person_metadata} filters: apart from any property of that name, as PostHog keeps it.
     */
    public static final String PERSON_CREATED_AT = PropertyEvaluator.PERSON_METADATA_PREFIX + "created_at";

    public EvaluationContext {
        Objects.requireNonNull(distinctId, "distinctId");
        personProperties = properties(personProperties);
        groups = copy(groups);
        Map<String, Map<String, JsonNode>> groupCopy = new LinkedHashMap<>();
        if (groupProperties != null) {
            groupProperties.forEach((type, props) -> groupCopy.put(type, properties(props)));
        }
        groupProperties = Collections.unmodifiableMap(groupCopy);
        groupTypeMapping = copy(groupTypeMapping);
        hashKeyOverrides = copy(hashKeyOverrides);
        cohorts = cohorts == null ? CohortResolver.NONE : cohorts;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static Builder builder(String distinctId) {
        return new Builder(distinctId);
    }

    /** The key of the request's group of the type at {@code groupTypeIndex}, if the request has one. */
    public Optional<String> groupKey(int groupTypeIndex) {
        return Optional.ofNullable(groupTypeMapping.get(groupTypeIndex)).map(groups::get);
    }

    /** The properties of the request's group of the type at {@code groupTypeIndex}, with {@code $group_key}. */
    public Map<String, JsonNode> groupPropertiesFor(int groupTypeIndex) {
        String type = groupTypeMapping.get(groupTypeIndex);
        if (type == null) {
            return Map.of();
        }
        Map<String, JsonNode> props = groupProperties.getOrDefault(type, Map.of());
        String key = groups.get(type);
        if (key == null || props.containsKey("$group_key")) {
            return props;
        }
        Map<String, JsonNode> withKey = new LinkedHashMap<>(props);
        withKey.put("$group_key", StringNode.valueOf(key));
        return withKey;
    }

    private static Map<String, JsonNode> properties(Map<String, JsonNode> source) {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        if (source != null) {
            source.forEach((key, value) -> copy.put(key, value == null ? NullNode.getInstance() : value));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static <K, V> Map<K, V> copy(Map<K, V> source) {
        return source == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }

    public static final class Builder {
        private final String distinctId;
        private String deviceId;
        private final Map<String, JsonNode> personProperties = new LinkedHashMap<>();
        private final Map<String, String> groups = new LinkedHashMap<>();
        private final Map<String, Map<String, JsonNode>> groupProperties = new LinkedHashMap<>();
        private final Map<Integer, String> groupTypeMapping = new LinkedHashMap<>();
        private final Map<String, String> hashKeyOverrides = new LinkedHashMap<>();
        private CohortResolver cohorts = CohortResolver.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(String distinctId) {
            this.distinctId = distinctId;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder personProperties(Map<String, JsonNode> properties) {
            personProperties.putAll(properties);
            return this;
        }

        /** The fields of a JSON object, e.g. the request's {@code person_properties}. */
        public Builder personProperties(JsonNode object) {
            object.forEachEntry(personProperties::put);
            return this;
        }

        public Builder personProperty(String key, JsonNode value) {
            personProperties.put(key, value);
            return this;
        }

        public Builder personProperty(String key, String value) {
            return personProperty(key, StringNode.valueOf(value));
        }

        /** A group of the request: {@code typeName} is at {@code typeIndex} in the group type mapping. */
        public Builder group(int typeIndex, String typeName, String groupKey) {
            groupTypeMapping.put(typeIndex, typeName);
            groups.put(typeName, groupKey);
            return this;
        }

        public Builder groups(Map<String, String> groupKeysByType) {
            groups.putAll(groupKeysByType);
            return this;
        }

        public Builder groupTypeMapping(Map<Integer, String> mapping) {
            groupTypeMapping.putAll(mapping);
            return this;
        }

        public Builder groupProperties(String typeName, Map<String, JsonNode> properties) {
            groupProperties.computeIfAbsent(typeName, type -> new LinkedHashMap<>()).putAll(properties);
            return this;
        }

        public Builder groupProperties(String typeName, JsonNode object) {
            Map<String, JsonNode> props = groupProperties.computeIfAbsent(typeName, type -> new LinkedHashMap<>());
            object.forEachEntry(props::put);
            return this;
        }

        public Builder hashKeyOverride(String flagKey, String hashKey) {
            hashKeyOverrides.put(flagKey, hashKey);
            return this;
        }

        public Builder hashKeyOverrides(Map<String, String> overrides) {
            hashKeyOverrides.putAll(overrides);
            return this;
        }

        public Builder cohorts(CohortResolver resolver) {
            this.cohorts = resolver;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public EvaluationContext build() {
            return new EvaluationContext(
                    distinctId,
                    deviceId,
                    personProperties,
                    groups,
                    groupProperties,
                    groupTypeMapping,
                    hashKeyOverrides,
                    cohorts,
                    clock);
        }
    }
}
