package dev.ingest.plugin.person;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The named property sets person processing depends on, as PostHog's ingestion has them
 * (docs/posthog-compatibility.md#person-properties; PostHog's {@code nodejs/src/common/persons/person-property-utils.ts}):
 * which event properties are copied onto the person, which changes are too frequent to write on their own, which
 * events never change person properties, and which keys a size remedy never trims. One definition, read by
 * normalisation, {@link PropertyUpdates} and the size guard.
 */
public final class PersonPropertyKeys {
    /** Event properties that describe the person's device and context, copied into {@code $set} and {@code $initial_*}. */
    public static final List<String> DEVICE_AND_URL = List.of("$app_build", "$app_name", "$app_namespace",
            "$app_version", "$browser", "$browser_version", "$device_type", "$current_url", "$pathname", "$os",
            "$os_name", "$os_version", "$referring_domain", "$referrer", "$screen_height", "$screen_width",
            "$viewport_height", "$viewport_width", "$raw_user_agent");

    /** Campaign and click-id parameters posthog-js puts on events, kept on the person as latest and first touch. */
    public static final List<String> CAMPAIGN = List.of("utm_source", "utm_medium", "utm_campaign", "utm_content",
            "utm_name", "utm_term", "gclid", "gad_source", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid",
            "twclid", "li_fat_id", "mc_cid", "igshid", "ttclid", "rdt_cid", "irclid", "_kx", "epik", "qclid", "sccid");

    /** Every event property copied onto the person: {@link #DEVICE_AND_URL}, then {@link #CAMPAIGN}. */
    public static final List<String> EVENT_TO_PERSON = concat(DEVICE_AND_URL, CAMPAIGN);

    /**
     * Keys whose changed value alone does not make a person write (they change on nearly every page view); the next
     * write for another reason carries them along. A key the person lacks is always written.
     */
    public static final Set<String> FILTERED_UPDATES = Set.of("$current_url", "$pathname", "$referring_domain",
            "$referrer", "$screen_height", "$screen_width", "$viewport_height", "$viewport_width", "$browser",
            "$browser_version", "$device_type", "$raw_user_agent", "$os", "$os_name", "$os_version",
            "$geoip_postal_code", "$geoip_time_zone", "$geoip_latitude", "$geoip_longitude", "$geoip_accuracy_radius",
            "$geoip_subdivision_1_code", "$geoip_subdivision_1_name", "$geoip_subdivision_2_code",
            "$geoip_subdivision_2_name", "$geoip_subdivision_3_code", "$geoip_subdivision_3_name",
            "$geoip_city_confidence", "$geoip_country_confidence", "$geoip_postal_code_confidence",
            "$geoip_subdivision_1_confidence", "$geoip_subdivision_2_confidence");

    /** Events whose changes are always written: they are about the person. */
    public static final Set<String> PERSON_EVENTS = Set.of("$identify", "$create_alias", "$merge_dangerously", "$set");

    /** Events that never change person properties (PostHog processes them apart, in no order with the rest). */
    public static final Set<String> NO_PERSON_UPDATE_EVENTS = Set.of("$exception", "$$heatmap");

    /** Keys a size remedy keeps: identity, the properties copied from events, session ids and first touch. */
    public static final Set<String> NEVER_TRIMMED = protectedKeys();

    private PersonPropertyKeys() {}

    /** {@code $initial_} and the key without its leading {@code $}: {@code $browser} becomes {@code $initial_browser}. */
    public static String initialKey(String key) {
        return "$initial_" + (key.startsWith("$") ? key.substring(1) : key);
    }

    private static Set<String> protectedKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of("email", "name", "$fbc", "$session_id", "$window_id",
                "$pageview_id", "$host", "$user_id", "$device_id", "$anon_distinct_id", "$initial_referrer",
                "$initial_referring_domain", "$initial_utm_source", "$initial_utm_medium", "$initial_utm_campaign",
                "$initial_utm_content", "$initial_utm_term"));
        keys.addAll(EVENT_TO_PERSON);
        return Set.copyOf(keys);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
