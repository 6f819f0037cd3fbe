package dev.ingest.bench;

import dev.ingest.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The worst case for person processing: events spread evenly over 100,000 anonymous distinct ids, so in a pass of
 * 30,000 nearly every event meets its person for the first time, and each pass's identifies merge into new user ids.
 * 80% pageviews, 5% $identify merges, 1% $groupidentify over 500 companies, the rest custom events with a group.
 */
final class FirstSightMix implements Mix {
    static final int DISTINCT_IDS = 100_000;

    @Override
    public String describe() {
        return "worst case (first sight): 100,000 anonymous distinct ids drawn uniformly, 80% $pageview, 5% $identify"
                + " to a new user id each pass, 1% $groupidentify over 500 companies, 14% custom events with a group";
    }

    @Override
    public List<MixEvent> next(String token, int count, int pass) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<MixEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int user = random.nextInt(DISTINCT_IDS);
            String anon = "anon-" + user;
            int kind = random.nextInt(100);
            String uuid = UUID.randomUUID().toString();
            if (kind < 80) {
                String data = Payloads.pageview(token, DISTINCT_IDS)
                        .replaceFirst("\"distinct_id\":\"[^\"]*\"", "\"distinct_id\":\"" + anon + "\"");
                events.add(new MixEvent(Json.read(data).get("uuid").asString(), anon, "$pageview", data, user));
            } else if (kind < 85) {
                String distinctId = "user-" + user + "-" + pass;
                events.add(new MixEvent(uuid, distinctId, "$identify", "{\"event\":\"$identify\",\"distinct_id\":\"" + distinctId
                        + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"$anon_distinct_id\":\"" + anon + "\",\"$set\":{\"email\":\""
                        + user + "@x.test\"}}}", user));
            } else if (kind < 86) {
                events.add(new MixEvent(uuid, anon, "$groupidentify", "{\"event\":\"$groupidentify\",\"distinct_id\":\"" + anon
                        + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"$group_type\":\"company\",\"$group_key\":\"c" + (user % 500)
                        + "\",\"$group_set\":{\"size\":" + user % 1000 + "}}}", user));
            } else {
                events.add(new MixEvent(uuid, anon, "order placed", "{\"event\":\"order placed\",\"distinct_id\":\"" + anon
                        + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"amount\":" + random.nextInt(500)
                        + ",\"$groups\":{\"company\":\"c" + (user % 500) + "\"}}}", user));
            }
        }
        return events;
    }
}
