package dev.ingest.capture.http;

import dev.ingest.capture.CaptureService;
import dev.ingest.capture.config.CaptureProperties;
import dev.ingest.capture.decode.CaptureRequest;
import dev.ingest.capture.decode.FormDecoder;
import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.memory.ChargedReader;
import dev.ingest.common.memory.MemoryBudget;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

/**
 * PostHog's capture routes (docs/posthog-compatibility.md#capture-routes-and-cors), each with and without a trailing
 * slash.
 */
@RestController
public class CaptureController {
    static final Map<String, Integer> OK = Map.of("status", 1);
    private static final ChargedReader READER = ChargedReader.systemClock();

    private final CaptureService service;
    private final CaptureProperties properties;
    private final ClientIpResolver ipResolver;
    private final MemoryBudget budget;

    public CaptureController(CaptureService service, CaptureProperties properties, ClientIpResolver ipResolver,
            MemoryBudget budget) {
        this.service = service;
        this.properties = properties;
        this.ipResolver = ipResolver;
        this.budget = budget;
    }

    @RequestMapping(
            path = {"/e", "/e/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/track", "/track/", "/engage",
                "/engage/", "/batch", "/batch/"},
            method = {RequestMethod.GET, RequestMethod.POST},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Integer>> capture(HttpServletRequest request) {
        String path = request.getRequestURI();
        String route = routeName((String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
        boolean batchRoute = route.equals("batch");
        long limit = (batchRoute ? properties.limits().batchBody() : properties.limits().eventBody()).toBytes();
        Map<String, String> query = FormDecoder.parse(request.getQueryString());
        try (MemoryBudget.Lease lease = budget.lease(properties.memory().request().toBytes())) {
            byte[] body = "GET".equals(request.getMethod()) ? new byte[0] : readBody(request, limit, batchRoute, lease);
            String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
            CaptureRequest captureRequest = new CaptureRequest(request.getMethod(), path, query, contentType,
                    request.getHeader("Content-Encoding"), body);
            service.capture(captureRequest, ipResolver.resolve(request), route, lease);
        }
        if ("1".equals(query.get("beacon"))) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok(OK);
    }

    /**
     * The body, read in charged chunks (never sized from Content-Length), within the route's limit and the body
     * timeout: a client that declares 20 MiB and trickles holds what it sent, and for at most the timeout.
     */
    private byte[] readBody(HttpServletRequest request, long limit, boolean batchRoute, MemoryBudget.Lease lease) {
        String name = batchRoute ? "batch body limit" : "event body limit";
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(name, limit);
        }
        try (InputStream in = request.getInputStream()) {
            return READER.read(in, limit, lease, properties.limits().bodyTimeout());
        } catch (ChargedReader.TooLarge e) {
            throw tooLarge(name, limit);
        } catch (ChargedReader.TooSlow e) {
            throw new CaptureException(CaptureError.BODY_TIMEOUT, "The request body did not arrive within "
                    + properties.limits().bodyTimeout().toSeconds() + " s");
        } catch (IOException e) {
            throw CaptureException.malformed("could not read the request body: " + e.getMessage(), e);
        }
    }

    private static CaptureException tooLarge(String name, long limit) {
        return new CaptureException(CaptureError.PAYLOAD_TOO_LARGE, CaptureError.PAYLOAD_TOO_LARGE.code(),
                "Request body exceeds the " + name + " of " + limit + " bytes", null);
    }

    /**
     * The route's name (its metric label) from the mapping path that matched, the one place the routes are listed:
     * the path without its slashes at either end, inner slashes as underscores ({@code /i/v0/e/} is {@code i_v0_e}).
     */
    static String routeName(String mappingPath) {
        String trimmed = mappingPath.replaceAll("^/+|/+$", "");
        return trimmed.replace('/', '_');
    }
}
