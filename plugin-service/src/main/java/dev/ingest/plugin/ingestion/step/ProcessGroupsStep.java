package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.group.GroupRepository;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Groups (docs/posthog-compatibility.md#groups): {@code $groups} becomes {@code $group_0..4} through the project's
 * group type mapping; {@code $groupidentify} upserts the group with {@code $group_set} and sends it to ClickHouse.
 * Personless events carry no group columns.
 */
public final class ProcessGroupsStep implements PipelineStep {
    static final int MAX_GROUP_KEY_LENGTH = 400;

    private final GroupRepository groups;
    private final IngestionWarnings warnings;

    public ProcessGroupsStep(GroupRepository groups, IngestionWarnings warnings) {
        this.groups = groups;
        this.warnings = warnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PROCESS_GROUPS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM, PipelineStage.PARSE_TIMESTAMP);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        ObjectNode properties = context.properties();
        long teamId = context.team().id();
        if (!context.processPerson()) {
            for (int i = 0; i < GroupRepository.MAX_GROUP_TYPES; i++) {
                properties.remove("$group_" + i);
            }
            return StepResult.ok(context);
        }
        if (properties.get("$groups") instanceof ObjectNode assigned) {
            for (Map.Entry<String, JsonNode> entry : assigned.properties()) {
                JsonNode key = entry.getValue();
                if (key == null || key.isNull()) {
                    continue;
                }
                Optional<Integer> index = groups.typeIndex(teamId, entry.getKey());
                index.ifPresent(i -> properties.put("$group_" + i, key.isString() ? key.asString() : key.toString()));
            }
        }
        if ("$groupidentify".equals(context.eventName())) {
            JsonNode type = properties.get("$group_type");
            JsonNode key = properties.get("$group_key");
            if (type != null && type.isString() && key != null && !key.isNull()) {
                String groupKey = key.isString() ? key.asString() : key.toString();
                if (groupKey.length() > MAX_GROUP_KEY_LENGTH) {
                    warnings.record(context, teamId, "group_key_too_long", Map.of("groupKey",
                            groupKey.substring(0, 100), "length", groupKey.length(), "eventUuid", context.captured().uuid()));
                    return StepResult.ok(context);
                }
                Optional<Integer> index = groups.typeIndex(teamId, type.asString());
                if (index.isPresent()) {
                    ObjectNode set = properties.get("$group_set") instanceof ObjectNode s ? s : JsonNodeFactory.instance.objectNode();
                    if (context.scope() != null) {
                        // Written with the rest of the batch's group upserts (GroupBatch).
                        context.scope().groups().upsert(teamId, index.get(), groupKey, set, context.timestamp());
                    } else {
                        context.addEffect(GroupRepository.row(groups.upsert(teamId, index.get(), groupKey, set,
                                context.timestamp())));
                    }
                }
            }
        }
        return StepResult.ok(context);
    }
}
