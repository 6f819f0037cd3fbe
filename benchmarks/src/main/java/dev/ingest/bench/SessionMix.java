package dev.ingest.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Product traffic as posthog-js sends it: browsers in sessions of 10-30 events, {@value #CONCURRENT_SESSIONS} sessions
 * interleaved at any time, the browser starting each session drawn from {@value #BROWSERS} with Zipf popularity
 * (exponent {@value #ZIPF_EXPONENT}), so a popular browser comes back for many sessions over a run. 40% of the browsers
 * belong to users who sign up: an identify in the middle of one of their sessions merges the anonymous device id into
 * the user's id, which their later events carry. A third of the browsers belong to one of {@value #COMPANIES}
 * companies: their events carry the group, and a company's first appearance sends its $groupidentify. Within a session:
 * about 70% $pageview, 15% $autocapture, 15% custom events. Like posthog-js, only $identify carries $set and $set_once.
 * Deterministic for a seed; the state (who signed up, which companies were sent) carries over from pass to pass.
 */
final class SessionMix implements Mix {
    static final int BROWSERS = 5_000;
    static final double ZIPF_EXPONENT = 0.7;
    static final int CONCURRENT_SESSIONS = 100;
    static final int COMPANIES = 12;

    private final SplittableRandom random;
    private final double[] cumulative = new double[BROWSERS];
    private final List<Session> active = new ArrayList<>();
    /** Browser -> the user id it identified as. */
    private final Map<Integer, String> identified = new HashMap<>();
    private final Set<String> companiesSent = new HashSet<>();

    SessionMix(long seed) {
        random = new SplittableRandom(seed);
        double sum = 0;
        for (int rank = 0; rank < BROWSERS; rank++) {
            sum += 1 / Math.pow(rank + 1, ZIPF_EXPONENT);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < BROWSERS; rank++) {
            cumulative[rank] /= sum;
        }
    }

    @Override
    public String describe() {
        return "realistic (sessions): " + BROWSERS + " browsers with Zipf popularity (exponent " + ZIPF_EXPONENT + "), sessions of"
                + " 10-30 events, " + CONCURRENT_SESSIONS + " interleaved; 40% of browsers sign up with an $identify mid-session;"
                + " a third in one of " + COMPANIES + " companies (groups); ~70% $pageview, 15% $autocapture, 15% custom";
    }

    @Override
    public List<MixEvent> next(String token, int count, int pass) {
        List<MixEvent> events = new ArrayList<>(count);
        while (events.size() < count) {
            while (active.size() < CONCURRENT_SESSIONS) {
                active.add(startSession());
            }
            int index = random.nextInt(active.size());
            Session session = active.get(index);
            session.next(token, events);
            if (session.done()) {
                active.set(index, active.getLast());
                active.removeLast();
            }
        }
        return events;
    }

    private Session startSession() {
        int browser = zipfBrowser();
        int length = 10 + random.nextInt(21);
        boolean signsUp = browser % 10 < 4 && !identified.containsKey(browser) && random.nextInt(2) == 0;
        return new Session(browser, length, signsUp ? 1 + random.nextInt(length - 2) : -1);
    }

    private int zipfBrowser() {
        double u = random.nextDouble();
        int low = 0;
        int high = BROWSERS - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < u) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private final class Session {
        private final int browser;
        private final String deviceId;
        private final String sessionId = UUID.randomUUID().toString();
        private final int length;
        private final int identifyAt;
        private final String company;
        private int position;

        private Session(int browser, int length, int identifyAt) {
            this.browser = browser;
            this.deviceId = "0193a1c2-0000-7000-8000-" + String.format("%012d", browser);
            this.length = length;
            this.identifyAt = identifyAt;
            this.company = browser % 3 == 0 ? "c" + browser / 3 % COMPANIES : null;
        }

        private boolean done() {
            return position >= length;
        }

        private String distinctId() {
            return identified.getOrDefault(browser, deviceId);
        }

        private void next(String token, List<MixEvent> out) {
            String uuid = UUID.randomUUID().toString();
            String groups = company == null ? "" : ",\"$groups\":{\"company\":\"" + company + "\"}";
            if (position == identifyAt && !identified.containsKey(browser)) {
                String userId = "user-" + browser;
                out.add(new MixEvent(uuid, userId, "$identify", "{\"event\":\"$identify\",\"uuid\":\"" + uuid + "\",\"properties\":{"
                        + "\"distinct_id\":\"" + userId + "\",\"$anon_distinct_id\":\"" + deviceId + "\",\"$device_id\":\""
                        + deviceId + "\",\"$session_id\":\"" + sessionId + "\",\"token\":\"" + token + "\"" + groups
                        + ",\"$set\":{\"email\":\"" + userId + "@example.com\",\"name\":\"User " + browser + "\"},"
                        + "\"$set_once\":{\"$initial_referrer\":\"$direct\",\"$initial_current_url\":\"https://shop.example.com/\","
                        + "\"$initial_pathname\":\"/\"}},\"timestamp\":\"2026-11-22T01:52:56.465Z\"}", browser));
                identified.put(browser, userId);
            } else if (company != null && companiesSent.add(company)) {
                out.add(new MixEvent(uuid, distinctId(), "$groupidentify", "{\"event\":\"$groupidentify\",\"uuid\":\"" + uuid
                        + "\",\"properties\":{\"distinct_id\":\"" + distinctId() + "\",\"token\":\"" + token + "\","
                        + "\"$group_type\":\"company\",\"$group_key\":\"" + company + "\",\"$group_set\":{\"name\":\"Company "
                        + company + "\",\"plan\":\"team\"}},\"timestamp\":\"2026-11-22T01:52:56.465Z\"}", browser));
                return;
            } else {
                int kind = position == 0 ? 0 : random.nextInt(100);
                String distinctId = distinctId();
                if (kind < 70) {
                    out.add(new MixEvent(uuid, distinctId, "$pageview", Payloads.pageview(token, uuid, distinctId, deviceId,
                            sessionId, random.nextInt(97), groups), browser));
                } else {
                    String name = kind < 85 ? "$autocapture" : "product added";
                    String properties = kind < 85
                            ? "\"$event_type\":\"click\",\"$el_text\":\"Add to cart\",\"$current_url\":\"https://shop.example.com/products/"
                                    + random.nextInt(97) + "\""
                            : "\"amount\":" + random.nextInt(500) + ",\"currency\":\"EUR\"";
                    out.add(new MixEvent(uuid, distinctId, name, "{\"event\":\"" + name + "\",\"uuid\":\"" + uuid + "\",\"properties\":{"
                            + "\"distinct_id\":\"" + distinctId + "\",\"$device_id\":\"" + deviceId + "\",\"$session_id\":\"" + sessionId
                            + "\",\"token\":\"" + token + "\",\"$lib\":\"web\"," + properties + groups
                            + "},\"timestamp\":\"2026-11-22T01:52:56.465Z\"}", browser));
                }
            }
            position++;
        }
    }
}
