package dev.ingest.decide.it;

import static dev.ingest.decide.it.ApiResponse.assertValidationError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /event_definitions/} and {@code /property_definitions/} over HTTP, on the rows plugin-service writes. */
class DefinitionsApiIT {
    private static final String ADMIN = TestingDecide.BOOTSTRAP_KEY;

    private final TestingDecide decide = TestingDecide.get();

    private UUID event(long project, String name) {
        UUID id = UUID.randomUUID();
        decide.execute("INSERT INTO event_definition (id, team_id, name, last_seen_at) VALUES (?, ?, ?, now())", id, project,
                name);
        return id;
    }

    private UUID property(long project, String name, int type, Integer group, String propertyType, String... events) {
        UUID id = UUID.randomUUID();
        decide.execute("INSERT INTO property_definition (id, team_id, name, type, group_type_index, property_type,"
                + " is_numerical) VALUES (?, ?, ?, ?, ?, ?, ?)", id, project, name, type, group, propertyType,
                "Numeric".equals(propertyType));
        for (String event : events) {
            decide.execute("INSERT INTO event_property (team_id, event, property) VALUES (?, ?, ?)", project, event, name);
        }
        return id;
    }

    @Test
    void eventDefinitionsAreListedByNameSearchedPagedAndRetrieved() {
        long project = decide.createProject().id();
        long other = decide.createProject().id();
        UUID pageview = event(project, "$pageview");
        event(project, "order_paid");
        event(project, "order%refunded");
        UUID foreign = event(other, "order_paid");
        String base = "/api/projects/" + project + "/event_definitions/";

        JsonNode all = get(base).json();
        assertThat(all.get("count").asLong()).isEqualTo(3);
        assertThat(names(all)).containsExactly("$pageview", "order%refunded", "order_paid");
        assertThat(all.get("results").get(0).propertyNames()).containsExactly("id", "name", "created_at", "last_seen_at");
        assertThat(names(get(base + "?search=ORDER").json())).containsExactly("order%refunded", "order_paid");
        assertThat(names(get(base + "?search=" + enc("r%r")).json())).as("% is literal").containsExactly("order%refunded");
        JsonNode firstPage = get(base + "?limit=2").json();
        assertThat(names(firstPage)).containsExactly("$pageview", "order%refunded");
        assertThat(firstPage.get("next").asString()).contains("offset=2");

        assertThat(get(base + pageview + "/").json().get("name").asString()).isEqualTo("$pageview");
        assertThat(get(base + foreign + "/").status()).as("another project's definition").isEqualTo(404);
        assertThat(get(base + "not-a-uuid/").status()).isEqualTo(404);
        assertThat(call(base, null).status()).isEqualTo(401);
    }

    @Test
    void propertyDefinitionsAreNarrowedByTypeGroupEventAndNumerical() {
        long project = decide.createProject().id();
        property(project, "amount", 1, null, "Numeric", "order_paid");
        property(project, "$browser", 1, null, "String", "$pageview", "order_paid");
        UUID email = property(project, "email", 2, null, "String");
        property(project, "seats", 3, 0, "Numeric");
        property(project, "plan", 3, 1, "String");
        String base = "/api/projects/" + project + "/property_definitions/";

        assertThat(names(get(base).json())).as("event properties by default").containsExactly("$browser", "amount");
        assertThat(names(get(base + "?type=person").json())).containsExactly("email");
        assertThat(names(get(base + "?type=group&group_type_index=0").json())).containsExactly("seats");
        assertThat(names(get(base + "?event_names=" + enc("[\"$pageview\"]")).json())).containsExactly("$browser");
        assertThat(names(get(base + "?is_numerical=true").json())).containsExactly("amount");
        JsonNode amount = get(base + "?search=amo").json().get("results").get(0);
        assertThat(amount.get("property_type").asString()).isEqualTo("Numeric");
        assertThat(amount.get("is_numerical").asBoolean()).isTrue();
        assertThat(amount.get("type").asString()).isEqualTo("event");
        assertThat(get(base + email + "/").json().get("type").asString()).isEqualTo("person");

        assertValidationError(get(base + "?type=session"), "type");
        assertValidationError(get(base + "?type=group"), "group_type_index");
        assertValidationError(get(base + "?event_names=pageview"), "event_names");
        assertValidationError(get(base + "?is_numerical=maybe"), "is_numerical");
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("results").forEach(result -> names.add(result.get("name").asString()));
        return names;
    }

    private ApiResponse get(String path) {
        return call(path, ADMIN);
    }

    private ApiResponse call(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(decide.url(path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = decide.send(request);
        return new ApiResponse(response.statusCode(), response.body());
    }
}
