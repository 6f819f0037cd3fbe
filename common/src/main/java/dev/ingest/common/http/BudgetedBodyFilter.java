package dev.ingest.common.http;

import dev.ingest.common.json.ChargedTrees;
import dev.ingest.common.json.Json;
import dev.ingest.common.memory.ChargedReader;
import dev.ingest.common.memory.MemoryBudget;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * Reads every request body before the controllers see it, within the service's {@link MemoryBudget}: in charged
 * chunks (never sized from Content-Length), at most {@code maxBody} bytes, within {@code bodyTimeout}. A JSON body's
 * cost as a tree (its token count) is charged too, before any controller builds the tree. The lease stays open until
 * the response is written and is handed to the controllers as the request attribute {@link #LEASE}, so they can
 * charge what they decode further (a gzip body). Answers, in PostHog's error body: 413 over the size or the request's
 * memory cap, 408 for a body that trickles past the timeout, 503 with Retry-After while the budget is in use.
 */
public final class BudgetedBodyFilter extends OncePerRequestFilter {
    /** The request attribute holding the request's {@link MemoryBudget.Lease}. */
    public static final String LEASE = MemoryBudget.Lease.class.getName();

    private final MemoryBudget budget;
    private final long maxBody;
    private final long requestCap;
    private final Duration bodyTimeout;
    private final String retryAfterSeconds;
    private final ChargedReader reader;

    public BudgetedBodyFilter(MemoryBudget budget, long maxBody, long requestCap, Duration bodyTimeout, Duration retryAfter,
            ChargedReader reader) {
        this.budget = budget;
        this.maxBody = maxBody;
        this.requestCap = requestCap;
        this.bodyTimeout = bodyTimeout;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
        this.reader = reader;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (MemoryBudget.Lease lease = budget.lease(requestCap)) {
            HttpServletRequest read;
            try {
                read = read(request, lease);
            } catch (MemoryBudget.Exhausted e) {
                response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
                write(response, 503, "server_error", "overloaded",
                        "The service is at capacity (its in-flight memory budget is in use). Please try again.");
                return;
            } catch (MemoryBudget.RequestTooCostly e) {
                write(response, 413, "validation_error", "payload_too_large", "Request exceeds the request memory limit of "
                        + requestCap + " bytes once parsed");
                return;
            } catch (ChargedReader.TooLarge e) {
                write(response, 413, "validation_error", "payload_too_large", "Request body exceeds " + maxBody + " bytes");
                return;
            } catch (ChargedReader.TooSlow e) {
                write(response, 408, "validation_error", "request_timeout", "The request body did not arrive within "
                        + bodyTimeout.toSeconds() + " s");
                return;
            }
            read.setAttribute(LEASE, lease);
            chain.doFilter(read, response);
        }
    }

    private HttpServletRequest read(HttpServletRequest request, MemoryBudget.Lease lease) throws IOException {
        if (request.getContentLengthLong() > maxBody) {
            throw new ChargedReader.TooLarge(maxBody);
        }
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "DELETE".equals(method)
                && request.getContentLengthLong() <= 0) {
            return request;
        }
        byte[] body = reader.read(request.getInputStream(), maxBody, lease, bodyTimeout);
        chargeTree(body, lease);
        return new CachedBody(request, body);
    }

    /** A JSON body is charged what its tree costs; anything else (gzip, forms) is charged by whoever decodes it. */
    private static void chargeTree(byte[] body, MemoryBudget.Lease lease) {
        int start = 0;
        while (start < body.length && (body[start] == ' ' || body[start] == '\n' || body[start] == '\r' || body[start] == '\t')) {
            start++;
        }
        if (start == body.length || (body[start] != '{' && body[start] != '[')) {
            return;
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            while (parser.nextToken() != null) {
                if (parser.currentTokenCount() % 4096 == 0) {
                    lease.charge(4096 * ChargedTrees.BYTES_PER_TOKEN);
                }
            }
            lease.charge(parser.currentTokenCount() % 4096 * ChargedTrees.BYTES_PER_TOKEN
                    + body.length * ChargedTrees.BYTES_PER_INPUT_BYTE);
        } catch (JacksonException e) {
            // Not JSON after all: the controller answers it with its own error.
        }
    }

    private static void write(HttpServletResponse response, int status, String type, String code, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        Map<String, Object> body = ErrorBodies.body(type, code, detail, null);
        response.getOutputStream().write(Json.writeBytes(body));
    }

    /**
     * The request with its body already read. Its parameters come from the query and, for a form body, from the read
     * body: the container can no longer read the body for them (Tomcat answers 400 when it tries).
     */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;
        private Map<String, String[]> parameters;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public synchronized Map<String, String[]> getParameterMap() {
            if (parameters == null) {
                Map<String, List<String>> values = new LinkedHashMap<>();
                addForm(values, getQueryString());
                String type = getContentType();
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                    addForm(values, new String(body, StandardCharsets.UTF_8));
                }
                Map<String, String[]> map = new LinkedHashMap<>();
                values.forEach((name, list) -> map.put(name, list.toArray(String[]::new)));
                parameters = Collections.unmodifiableMap(map);
            }
            return parameters;
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterMap().get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            return getParameterMap().get(name);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        private static void addForm(Map<String, List<String>> values, String encoded) {
            if (encoded == null || encoded.isEmpty()) {
                return;
            }
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                values.computeIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), k -> new ArrayList<>())
                        .add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }

        private static String decode(String text) {
            try {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return text;
            }
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body has been read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
