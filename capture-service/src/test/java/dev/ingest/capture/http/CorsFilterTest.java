package dev.ingest.capture.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Django's cors_response ({@code posthog/utils_cors.py}; docs/posthog-compatibility.md#capture-routes-and-cors) mirrors
 * {@code scheme://netloc} of the Origin, or {@code *}.
 */
class CorsFilterTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " -> ", value = {
        "https://app.example.com -> https://app.example.com",
        "https://app.example.com/some/path?q=1 -> https://app.example.com",
        "http://localhost:3000 -> http://localhost:3000",
        "https://example.com:443 -> https://example.com:443",
        "http://[::1]:8000 -> http://[::1]:8000",
        "'  https://padded.example  ' -> https://padded.example",
        "http://my_host.local:8000 -> http://my_host.local:8000",
        "null -> *",
        "file:///index.html -> *",
        "not a url -> *",
        "example.com -> *"
    })
    void mirrorsSchemeAndNetlocOfOrigin(String origin, String expected) {
        assertThat(CorsFilter.allowedOrigin(origin)).isEqualTo(expected);
    }

    @Test
    void setsCorsHeadersAndPassesRequestOn() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/e/");
        request.addHeader("Origin", "https://app.example.com");
        request.addHeader("Access-Control-Request-Headers", "traceparent,content-type");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new CorsFilter().doFilter(request, response, chain);

        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(response.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET, POST, OPTIONS");
        assertThat(response.getHeader("Access-Control-Allow-Headers")).isEqualTo("traceparent,content-type");
    }

    @Test
    void allowsDefaultHeadersWhenNoneAreRequested() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/e/");
        request.addHeader("Origin", "https://app.example.com");
        MockHttpServletResponse response = new MockHttpServletResponse();

        new CorsFilter().doFilter(request, response, new MockFilterChain());

        assertThat(response.getHeader("Access-Control-Allow-Headers")).isEqualTo("X-Requested-With,Content-Type");
    }

    @Test
    void answersOptionsWithSuccessBodyWithoutCallingTheChain() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", "/batch/");
        request.addHeader("Origin", "http://localhost:3000");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new CorsFilter().doFilter(request, response, chain);

        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("{\"status\":1}");
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    }

    @Test
    void addsNoCorsHeadersWithoutOrigin() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new CorsFilter().doFilter(new MockHttpServletRequest("POST", "/e/"), response, new MockFilterChain());

        assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
    }
}
