package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.common.json.Json;
import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.store.DefinitionRepository;
import dev.ingest.decide.store.EventDefinitionRow;
import dev.ingest.decide.store.PropertyDefinitionRow;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * PostHog's {@code /api/projects/{id}/event_definitions/} and {@code /property_definitions/}: what events and
 * properties a project has sent (docs/posthog-compatibility.md#event-and-property-definitions), read-only, by name,
 * paged. plugin-service writes them from processed events.
 */
@RestController
@RequestMapping(produces = "application/json")
public class DefinitionController {
    private static final String EVENTS = "/api/projects/{projectId}/event_definitions";
    private static final String PROPERTIES = "/api/projects/{projectId}/property_definitions";
    private static final Map<String, Integer> TYPES = Map.of("event", 1, "person", 2, "group", 3);
    private static final List<String> TYPE_NAMES = List.of("event", "person", "group");
    /** Event names a property list may be narrowed to, at most. */
    static final int MAX_EVENT_NAMES = 100;

    public record EventDefinitionResponse(UUID id, String name, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("last_seen_at") Instant lastSeenAt) {
        static EventDefinitionResponse of(EventDefinitionRow row) {
            return new EventDefinitionResponse(row.id(), row.name(), row.createdAt(), row.lastSeenAt());
        }
    }

    public record PropertyDefinitionResponse(UUID id, String name, String type,
            @JsonProperty("group_type_index") Integer groupTypeIndex, @JsonProperty("property_type") String propertyType,
            @JsonProperty("is_numerical") boolean numerical) {
        static PropertyDefinitionResponse of(PropertyDefinitionRow row) {
            return new PropertyDefinitionResponse(row.id(), row.name(), TYPE_NAMES.get(row.type() - 1), row.groupTypeIndex(),
                    row.propertyType(), row.numerical());
        }
    }

    private final DefinitionRepository definitions;
    private final ProjectAccess access;

    public DefinitionController(DefinitionRepository definitions, ProjectAccess access) {
        this.definitions = Objects.requireNonNull(definitions, "definitions is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    @GetMapping({EVENTS, EVENTS + "/"})
    public Page<EventDefinitionResponse> events(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String search, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset, HttpServletRequest request) {
        access.require(scope, projectId);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(definitions.countEvents(projectId, search), definitions.events(projectId, search, page.limit(),
                page.offset()).stream().map(EventDefinitionResponse::of).toList(), request);
    }

    @GetMapping({EVENTS + "/{id}", EVENTS + "/{id}/"})
    public EventDefinitionResponse event(ApiKeyScope scope, @PathVariable long projectId, @PathVariable String id) {
        access.require(scope, projectId);
        return uuid(id).flatMap(uuid -> definitions.event(projectId, uuid)).map(EventDefinitionResponse::of)
                .orElseThrow(ApiException::notFound);
    }

    @GetMapping({PROPERTIES, PROPERTIES + "/"})
    public Page<PropertyDefinitionResponse> properties(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String type, @RequestParam(name = "group_type_index", required = false) String group,
            @RequestParam(required = false) String search, @RequestParam(name = "is_numerical", required = false) String numerical,
            @RequestParam(name = "event_names", required = false) String eventNames,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
            HttpServletRequest request) {
        access.require(scope, projectId);
        DefinitionRepository.PropertyFilter filter = filter(type, group, search, numerical, eventNames);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(definitions.countProperties(projectId, filter), definitions.properties(projectId, filter,
                page.limit(), page.offset()).stream().map(PropertyDefinitionResponse::of).toList(), request);
    }

    @GetMapping({PROPERTIES + "/{id}", PROPERTIES + "/{id}/"})
    public PropertyDefinitionResponse property(ApiKeyScope scope, @PathVariable long projectId, @PathVariable String id) {
        access.require(scope, projectId);
        return uuid(id).flatMap(uuid -> definitions.property(projectId, uuid)).map(PropertyDefinitionResponse::of)
                .orElseThrow(ApiException::notFound);
    }

    /** The list's narrowing, checked: 400 naming the parameter that is wrong. */
    static DefinitionRepository.PropertyFilter filter(String type, String group, String search, String numerical,
            String eventNames) {
        String typeName = type == null || type.isBlank() ? "event" : type.strip();
        Integer typeCode = TYPES.get(typeName);
        if (typeCode == null) {
            throw ApiException.invalid("type", "\"" + typeName + "\" is not a valid choice: event, person or group.");
        }
        Integer groupTypeIndex = null;
        if (group != null && !group.isBlank()) {
            if (!group.strip().matches("[0-4]")) {
                throw ApiException.invalid("group_type_index", "A group type index is 0 to 4.");
            }
            groupTypeIndex = Integer.parseInt(group.strip());
        }
        if (typeCode == 3 && groupTypeIndex == null) {
            throw ApiException.invalid("group_type_index", "group_type_index is required for group properties.");
        }
        Boolean isNumerical = null;
        if (numerical != null && !numerical.isBlank()) {
            String value = numerical.strip().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw ApiException.invalid("is_numerical", "Must be true or false.");
            }
            isNumerical = Boolean.parseBoolean(value);
        }
        return new DefinitionRepository.PropertyFilter(typeCode, groupTypeIndex, search, isNumerical, eventNames(eventNames));
    }

    /** {@code event_names}: a JSON list of event names, as PostHog's frontend sends it. */
    private static List<String> eventNames(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        JsonNode names;
        try {
            names = Json.read(text);
        } catch (JacksonException e) {
            throw ApiException.invalid("event_names", "Must be a JSON list of event names.");
        }
        if (!names.isArray() || names.size() > MAX_EVENT_NAMES) {
            throw ApiException.invalid("event_names", "Must be a JSON list of at most " + MAX_EVENT_NAMES + " event names.");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode name : names) {
            if (!name.isString()) {
                throw ApiException.invalid("event_names", "Must be a JSON list of event names.");
            }
            list.add(name.asString());
        }
        return list;
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
