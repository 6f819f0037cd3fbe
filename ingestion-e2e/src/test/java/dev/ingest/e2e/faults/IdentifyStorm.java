package dev.ingest.e2e.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A storm of merges whose two distinct ids are keyed to different partitions, so that in the cluster topology the
 * two sides are processed by different plugin-service instances at the same time. Each user {@code storm-user-U}
 * first browses anonymously from {@link #ANONYMOUS_IDS} ids ({@code storm-anon-U-J}, one pageview each); then, shuffled
 * together, the user identifies with each anonymous id (keyed by the user id: {@code $identify} with {@code
 * $anon_distinct_id} and {@code $set {identified_J: J}}) while each anonymous id keeps sending {@code $set
 * {anonymous_J: J}} and pageviews (keyed by the anonymous id).
 *
 * <p>The outcome does not depend on the order in which the two partitions are processed, which is what makes it
 * comparable with a single instance's: every merge folds a person that is not identified into the user's, so each
 * user ends as exactly one person holding the user id and all its anonymous ids, and every property key is set
 * once, so the person holds all of them. {@link #expectedDistinctIds} and {@link #expectedProperties} are that
 * outcome.
 */
final class IdentifyStorm {
    static final int ANONYMOUS_IDS = 3;

    /** One captured event: the distinct id it is keyed by and its JSON (without api_key), with its uuid. */
    record StormEvent(String distinctId, String uuid, String json) {}

    private final int users;
    private final List<StormEvent> browsing = new ArrayList<>();
    private final List<StormEvent> storm = new ArrayList<>();

    IdentifyStorm(int users, long seed) {
        this.users = users;
        for (int u = 0; u < users; u++) {
            for (int j = 1; j <= ANONYMOUS_IDS; j++) {
                browsing.add(event("$pageview", anonymous(u, j), "\"$current_url\":\"https://storm.test/" + u + "\""));
            }
        }
        for (int u = 0; u < users; u++) {
            for (int j = 1; j <= ANONYMOUS_IDS; j++) {
                storm.add(event("$identify", user(u), "\"$anon_distinct_id\":\"" + anonymous(u, j)
                        + "\",\"$set\":{\"identified_" + j + "\":" + j + "}"));
                storm.add(event("$set", anonymous(u, j), "\"$set\":{\"anonymous_" + j + "\":" + j + "}"));
                storm.add(event("$pageview", anonymous(u, j), "\"$current_url\":\"https://storm.test/after/" + u + "\""));
            }
        }
        Collections.shuffle(storm, new Random(seed));
    }

    static String user(int u) {
        return "storm-user-" + u;
    }

    static String anonymous(int u, int j) {
        return "storm-anon-" + u + "-" + j;
    }

    /** The anonymous pageviews, sent and acknowledged before the storm. */
    List<StormEvent> browsing() {
        return browsing;
    }

    /** The identifies and the anonymous ids' own events, interleaved. */
    List<StormEvent> storm() {
        return storm;
    }

    /** Every person the stream must end with, by user id: the distinct ids it holds. */
    Map<String, Set<String>> expectedDistinctIds() {
        Map<String, Set<String>> persons = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            Set<String> ids = new LinkedHashSet<>();
            ids.add(user(u));
            for (int j = 1; j <= ANONYMOUS_IDS; j++) {
                ids.add(anonymous(u, j));
            }
            persons.put(user(u), ids);
        }
        return persons;
    }

    /** The property keys every user's person must hold, with their values. */
    static Map<String, Integer> expectedProperties() {
        Map<String, Integer> properties = new LinkedHashMap<>();
        for (int j = 1; j <= ANONYMOUS_IDS; j++) {
            properties.put("identified_" + j, j);
            properties.put("anonymous_" + j, j);
        }
        return properties;
    }

    private static StormEvent event(String name, String distinctId, String properties) {
        String uuid = UUID.randomUUID().toString();
        return new StormEvent(distinctId, uuid, "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\""
                + uuid + "\",\"properties\":{" + properties + "}}");
    }
}
