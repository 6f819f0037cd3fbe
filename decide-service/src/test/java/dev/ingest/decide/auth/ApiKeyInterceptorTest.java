package dev.ingest.decide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.JsonNode;

class ApiKeyInterceptorTest {
    private static final ApiKeyScope SCOPED = new ApiKeyScope(4, Set.of(1L));
    private final ApiKeyInterceptor interceptor = new ApiKeyInterceptor(
            key -> key.equals("phx_good") ? Optional.of(SCOPED) : Optional.empty());

    private static MockHttpServletRequest request(String authorization, String projectId) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/projects/x/");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        if (projectId != null) {
            request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("projectId", projectId));
        }
        return request;
    }

    private static JsonNode body(MockHttpServletResponse response) throws Exception {
        return Json.read(response.getContentAsString());
    }

    @Test
    void refusesARequestWithoutKey() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(request(null, null), response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(body(response).get("type").asString()).isEqualTo("authentication_error");
        assertThat(body(response).get("code").asString()).isEqualTo("not_authenticated");
    }

    @Test
    void refusesAnUnknownKeyWithoutEchoingIt() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(request("Bearer phx_secret_guess", null), response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(body(response).get("code").asString()).isEqualTo("not_authenticated");
        assertThat(response.getContentAsString()).doesNotContain("phx_secret_guess");
    }

    @Test
    void refusesAProjectOutsideTheScope() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(request("Bearer phx_good", "2"), response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(body(response).get("code").asString()).isEqualTo("permission_denied");
    }

    @Test
    void passesAKeyInScopeAndRemembersItsScope() throws Exception {
        MockHttpServletRequest request = request("Bearer phx_good", "1");

        assertThat(interceptor.preHandle(request, new MockHttpServletResponse(), new Object())).isTrue();
        assertThat(request.getAttribute(ApiKeyInterceptor.SCOPE_ATTRIBUTE)).isEqualTo(SCOPED);
    }

    @Test
    void leavesANonNumericProjectIdToTheHandler() throws Exception {
        assertThat(interceptor.preHandle(request("Bearer phx_good", "@current"), new MockHttpServletResponse(),
                new Object())).isTrue();
    }
}
