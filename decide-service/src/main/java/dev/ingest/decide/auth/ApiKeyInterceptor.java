package dev.ingest.decide.auth;

import dev.ingest.common.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Authenticates every management API request by its {@code Authorization: Bearer phx_...} header and stores the
 * key's {@link ApiKeyScope} as a request attribute. A route with a {@code {projectId}} outside the scope is refused
 * here, before any handler runs, so no handler can forget the check. Errors are PostHog's JSON bodies, written
 * directly because they also apply to routes that have no handler.
 */
public class ApiKeyInterceptor implements HandlerInterceptor {
    public static final String SCOPE_ATTRIBUTE = ApiKeyScope.class.getName();
    private static final Logger log = LoggerFactory.getLogger(ApiKeyInterceptor.class);

    private final PersonalApiKeys keys;

    public ApiKeyInterceptor(PersonalApiKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys is null");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        String presented = PersonalApiKeyValues.fromAuthorizationHeader(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            return refuse(response, 401, "not_authenticated", "Authentication credentials were not provided.");
        }
        Optional<ApiKeyScope> scope;
        try {
            scope = keys.authenticate(presented);
        } catch (DataAccessException e) {
            log.warn("cannot check personal API key {}: {}", PersonalApiKeyValues.mask(presented), e.toString());
            return error(response, 503, "server_error", "server_error", "The service is unavailable, try again.");
        }
        if (scope.isEmpty()) {
            return refuse(response, 401, "not_authenticated", "Personal API key found in request Authorization header"
                    + " is invalid.");
        }
        Long projectId = projectId(request);
        if (projectId != null && !scope.get().allows(projectId)) {
            return refuse(response, 403, "permission_denied", "This API key does not have access to project "
                    + projectId + ".");
        }
        request.setAttribute(SCOPE_ATTRIBUTE, scope.get());
        return true;
    }

    /** The numeric {@code {projectId}} of the matched route, or null (none, or not a number: the handler 404s). */
    private static Long projectId(HttpServletRequest request) {
        if (!(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)
                || !(variables.get("projectId") instanceof String text)
                || !text.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(text);
    }

    private static boolean refuse(HttpServletResponse response, int status, String code, String detail)
            throws IOException {
        if (status == 401) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return error(response, status, "authentication_error", code, detail);
    }

    private static boolean error(HttpServletResponse response, int status, String type, String code, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("code", code);
        body.put("detail", detail);
        body.put("attr", null);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(Json.writeBytes(body));
        return false;
    }
}
