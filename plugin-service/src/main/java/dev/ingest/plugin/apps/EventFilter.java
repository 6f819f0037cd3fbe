package dev.ingest.plugin.apps;

import com.google.re2j.Pattern;
import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event filter: drops events by name and by simple property rules, or keeps only those.
 * <pre>{@code
 * {"mode": "drop" | "keep",              // default drop
 *  "match": "all" | "any",               // default all: how the criteria below combine
 *  "events": ["$pageview", "internal"],  // criterion: the event name is one of these (when the list is not empty)
 *  "properties": [                       // criteria: one per rule, on properties (top-level keys of properties)
 *    {"key": "$current_url", "operator": "contains", "value": "localhost"},
 *    {"key": "plan", "operator": "exact", "value": ["free", "trial"]}]}
 * }</pre>
 * An event matches when all (or, with {@code "match":"any"}, any) given criteria hold. Mode {@code drop} drops the
 * matching events, mode {@code keep} drops every other event. At least one criterion is required.
 * <p>
 * Operators compare the property's text (a string as is, a number or boolean as its JSON text, an object or array
 * as JSON): {@code exact} (equals the value, or one of a list of values), {@code is_not} (the negation of exact; a
 * missing property is "not"), {@code contains} / {@code icontains} (substring, case-sensitive / -insensitive),
 * {@code regex} / {@code not_regex} (RE2 syntax, linear time, a partial match; patterns up to
 * {@value AppConfigRules#MAX_PATTERN_LENGTH} characters), {@code is_set} / {@code is_not_set} (present and not
 * null). Apart from is_not, not_regex and is_not_set, a missing or null property never matches.
 */
public final class EventFilter implements EventTransformer {
    public static final String DROP_REASON = "event_filter";

    public enum Mode { DROP, KEEP }

    public enum Operator { EXACT, IS_NOT, CONTAINS, ICONTAINS, REGEX, NOT_REGEX, IS_SET, IS_NOT_SET }

    /** One property rule, validated and compiled. */
    public record Rule(String key, Operator operator, List<String> values, Pattern pattern) {
        boolean matches(ObjectNode properties) {
            JsonNode node = properties.get(key);
            String text = node == null || node.isNull() ? null : text(node);
            return switch (operator) {
                case EXACT -> text != null && values.contains(text);
                case IS_NOT -> text == null || !values.contains(text);
                case CONTAINS -> text != null && text.contains(values.getFirst());
                case ICONTAINS -> text != null
                        && text.toLowerCase(Locale.ROOT).contains(values.getFirst().toLowerCase(Locale.ROOT));
                case REGEX -> text != null && pattern.matcher(text).find();
                case NOT_REGEX -> text == null || !pattern.matcher(text).find();
                case IS_SET -> text != null;
                case IS_NOT_SET -> text == null;
            };
        }
    }

    private final Mode mode;
    private final boolean matchAll;
    private final Set<String> events;
    private final List<Rule> rules;

    public EventFilter(Mode mode, boolean matchAll, Set<String> events, List<Rule> rules) {
        if (events.isEmpty() && rules.isEmpty()) {
            throw new IllegalArgumentException("the event filter needs event names or property rules");
        }
        this.mode = mode;
        this.matchAll = matchAll;
        this.events = Set.copyOf(events);
        this.rules = List.copyOf(rules);
    }

    /** The filter a config describes; a config that breaks {@link AppConfigRules} is refused with the problem. */
    public static EventFilter fromConfig(JsonNode config) {
        AppConfigRules.requireValid(AppName.EVENT_FILTER, config);
        Mode mode = config.path("mode").asString("drop").equals("keep") ? Mode.KEEP : Mode.DROP;
        boolean matchAll = !config.path("match").asString("all").equals("any");
        Set<String> events = new HashSet<>();
        config.path("events").forEach(name -> events.add(name.asString()));
        List<Rule> rules = new ArrayList<>();
        config.path("properties").forEach(rule -> rules.add(rule(rule)));
        return new EventFilter(mode, matchAll, events, rules);
    }

    private static Rule rule(JsonNode rule) {
        Operator operator = Operator.valueOf(rule.path("operator").asString("exact").toUpperCase(Locale.ROOT));
        JsonNode value = rule.get("value");
        List<String> values = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> values.add(text(v)));
        } else if (value != null && !value.isNull()) {
            values.add(text(value));
        }
        Pattern pattern = operator == Operator.REGEX || operator == Operator.NOT_REGEX
                ? Pattern.compile(values.getFirst()) : null;
        return new Rule(rule.get("key").asString(), operator, List.copyOf(values), pattern);
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : node.toString();
    }

    @Override
    public AppResult processEvent(ObjectNode event, AppContext meta) {
        boolean matched = matches(event);
        boolean drop = mode == Mode.DROP ? matched : !matched;
        return drop ? AppResult.drop(DROP_REASON) : AppResult.keep(event);
    }

    private boolean matches(ObjectNode event) {
        ObjectNode properties = event.get("properties") instanceof ObjectNode p ? p : event.objectNode();
        boolean any = false;
        if (!events.isEmpty()) {
            JsonNode name = event.get("event");
            boolean hit = name != null && name.isString() && events.contains(name.asString());
            if (matchAll && !hit) {
                return false;
            }
            any |= hit;
        }
        for (Rule rule : rules) {
            boolean hit = rule.matches(properties);
            if (matchAll && !hit) {
                return false;
            }
            if (!matchAll && hit) {
                return true;
            }
        }
        return matchAll || any;
    }
}
